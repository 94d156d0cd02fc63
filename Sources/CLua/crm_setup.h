/* Sandboxed state construction (part of the CLua shim; included by shim.h only). */
#ifndef CRM_SETUP_H
#define CRM_SETUP_H

/* ---- state construction ------------------------------------------------ */

static void crm_set_field_fn(lua_State *L, const char *name, lua_CFunction f) {
    lua_pushcclosure(L, f, 0);
    lua_setfield(L, -2, name);
}

static void crm_guard_string_fn(lua_State *L, const char *name, int kind) {
    lua_getfield(L, -1, name);
    lua_pushinteger(L, kind);
    lua_pushcclosure(L, crm_pattern_guard, 2);
    lua_setfield(L, -2, name);
}

static int crm_setup(lua_State *L) {
    static const luaL_Reg libs[] = {
        {LUA_GNAME, luaopen_base}, {LUA_STRLIBNAME, luaopen_string}, {LUA_TABLIBNAME, luaopen_table},
        {LUA_MATHLIBNAME, luaopen_math}, {LUA_UTF8LIBNAME, luaopen_utf8}, {NULL, NULL}};
    for (const luaL_Reg *lib = libs; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);
        lua_settop(L, 0);
    }
    crm_push_globals(L);
    static const char *removed[] = {"dofile", "loadfile", "load", "require", "collectgarbage", "warn", NULL};
    for (const char **r = removed; *r; r++) { lua_pushnil(L); lua_setfield(L, -2, *r); }
    crm_set_field_fn(L, "pcall", crm_pcall);
    crm_set_field_fn(L, "xpcall", crm_xpcall);
    crm_set_field_fn(L, "setmetatable", crm_setmetatable);
    crm_set_field_fn(L, "rawset", crm_rawset);
    crm_set_field_fn(L, "print", crm_print);
    crm_set_field_fn(L, "require", crm_require);
    /* os: time, date, clock only */
    lua_pushcclosure(L, luaopen_os, 0);
    lua_callk(L, 0, 1, 0, NULL);
    lua_createtable(L, 0, 3);
    static const char *osfns[] = {"time", "date", "clock", NULL};
    for (const char **f = osfns; *f; f++) { lua_getfield(L, -2, *f); lua_setfield(L, -2, *f); }
    lua_setfield(L, -3, "os");
    lua_settop(L, -2);
    /* string: no dump, guarded patterns, protected metatable */
    lua_getfield(L, -1, "string");
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    crm_guard_string_fn(L, "find", 0);
    crm_guard_string_fn(L, "match", 1);
    crm_guard_string_fn(L, "gmatch", 2);
    crm_guard_string_fn(L, "gsub", 3);
    lua_settop(L, -2);
    lua_pushliteral(L, "");
    if (lua_getmetatable(L, -1)) { lua_pushboolean(L, 0); lua_setfield(L, -2, "__metatable"); }
    lua_settop(L, 0);
    /* private registry tables */
    lua_createtable(L, 0, 0); lua_setfield(L, LUA_REGISTRYINDEX, "crm.loaded");
    lua_createtable(L, 0, 0); lua_setfield(L, LUA_REGISTRYINDEX, "crm.loading");
    static const char *weak[] = {"crm.refs", "crm.frozen", NULL};
    for (const char **w = weak; *w; w++) {
        lua_createtable(L, 0, 0);
        lua_createtable(L, 0, 1);
        lua_pushliteral(L, "k");
        lua_setfield(L, -2, "__mode");
        lua_setmetatable(L, -2);
        lua_setfield(L, LUA_REGISTRYINDEX, *w);
    }
    crm_setup_records(L);
    /* drop library entries from the registry's _LOADED */
    lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_pushnil(L);
    lua_setfield(L, -2, LUA_OSLIBNAME);
    lua_settop(L, 0);
    return 0;
}

/* Creates a sandboxed state; NULL on failure. */
static inline lua_State *crm_open(size_t mem_limit) {
    crm_ctl *c = (crm_ctl *)calloc(1, sizeof(crm_ctl));
    if (c == NULL) return NULL;
    c->mem_limit = mem_limit;
    c->host_mode = 1;
    c->instr_budget = 10000000;
    c->time_limit = 0;
    c->max_pattern = 256;
    c->max_subject = 1 << 20;
    c->pattern_work = 3e7;
    lua_State *L = lua_newstate(crm_alloc, c);
    if (L == NULL) { free(c); return NULL; }
    *(crm_ctl **)lua_getextraspace(L) = c;
    lua_atpanic(L, crm_panic);
    lua_sethook(L, crm_count_hook, LUA_MASKCOUNT, 1000);
    lua_pushcclosure(L, crm_setup, 0);
    if (lua_pcallk(L, 0, 0, 0, 0, NULL) != LUA_OK) { lua_close(L); free(c); return NULL; }
    return L;
}

static inline void crm_close(lua_State *L) {
    crm_ctl *c = crm_get_ctl(L);
    c->host_mode = 1;
    lua_close(L);
    free(c);
}

/* Runs a C setup step in protected mode (host mode); CRM_OK or message on top. */
static inline int crm_protected(lua_State *L, lua_CFunction f) {
    lua_pushcclosure(L, f, 0);
    return lua_pcallk(L, 0, 0, 0, 0, NULL) == LUA_OK ? CRM_OK : CRM_ERR_RUN;
}

static inline int crm_lock(lua_State *L) { return crm_protected(L, crm_lock_globals); }



#endif /* CRM_SETUP_H */
