/* Lazy record tables for record hooks (part of the CLua shim; included by shim.h only).
 *
 * A record hook's argument is an empty table whose metatable is the shared, protected
 * "record" metatable (registry slot ctl->record_mt). Nothing is copied into it up front:
 *   - reading a field the table does not hold asks the host once (op INDEX) and keeps the
 *     value in the table, so later reads are plain table reads;
 *   - writing a field the table does not hold tells the host the field was touched (op
 *     NEWINDEX, so a field removed before it was ever read is known) and stores it;
 *   - pairs() first has the host store every field (op FETCH_ALL), then iterates the table.
 * The host finds the hook call a table belongs to by its address (lua_topointer), and
 * refuses tables of calls that have returned. */
#ifndef CRM_RECORDS_H
#define CRM_RECORDS_H

enum { CRM_RECORD_INDEX = 0, CRM_RECORD_NEWINDEX = 1, CRM_RECORD_FETCH_ALL = 2 };

/* Calls the host's record callback in host mode; errors are raised here, in C. */
static int crm_record_host(lua_State *L, int op) {
    crm_ctl *c = crm_get_ctl(L);
    int saved = c->host_mode;
    c->host_mode = 1;
    int n = c->record(L, c->owner, op);
    c->host_mode = saved;
    return crm_host_result(L, c, n);
}

static int crm_record_index(lua_State *L) {
    lua_settop(L, 2);
    if (crm_record_host(L, CRM_RECORD_INDEX) == 0) return 0;
    lua_pushvalue(L, 2);
    lua_pushvalue(L, 3);
    lua_rawset(L, 1);
    return 1;
}

static int crm_record_newindex(lua_State *L) {
    lua_settop(L, 3);
    crm_record_host(L, CRM_RECORD_NEWINDEX);
    lua_settop(L, 3);
    lua_rawset(L, 1);
    return 0;
}

static int crm_record_next(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    if (lua_next(L, 1)) return 2;
    lua_pushnil(L);
    return 1;
}

static int crm_record_pairs(lua_State *L) {
    lua_settop(L, 1);
    crm_record_host(L, CRM_RECORD_FETCH_ALL);
    lua_settop(L, 1);
    lua_pushcclosure(L, crm_record_next, 0);
    lua_insert(L, 1);
    lua_pushnil(L);
    return 3;
}

/* Creates the record metatable and keeps it in the registry (setup, protected mode). */
static void crm_setup_records(lua_State *L) {
    lua_createtable(L, 0, 4);
    lua_pushcclosure(L, crm_record_index, 0);
    lua_setfield(L, -2, "__index");
    lua_pushcclosure(L, crm_record_newindex, 0);
    lua_setfield(L, -2, "__newindex");
    lua_pushcclosure(L, crm_record_pairs, 0);
    lua_setfield(L, -2, "__pairs");
    lua_pushliteral(L, "record");
    lua_setfield(L, -2, "__metatable");
    crm_get_ctl(L)->record_mt = luaL_ref(L, LUA_REGISTRYINDEX);
}

/* Pushes a new, empty record table (host mode: the caller checked crm_host_fits). */
static inline void crm_push_record(lua_State *L, int fields) {
    lua_createtable(L, 0, fields);
    lua_rawgeti(L, LUA_REGISTRYINDEX, crm_get_ctl(L)->record_mt);
    lua_setmetatable(L, -2);
}

/* Whether the value at idx is a record table. */
static inline int crm_is_record(lua_State *L, int idx) {
    if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx)) return 0;
    lua_rawgeti(L, LUA_REGISTRYINDEX, crm_get_ctl(L)->record_mt);
    int same = lua_rawequal(L, -1, -2);
    lua_settop(L, -3);
    return same;
}

#endif /* CRM_RECORDS_H */
