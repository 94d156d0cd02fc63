/* Read-only library tables and lockGlobals (part of the CLua shim; included by shim.h only). */
#ifndef CRM_LOCK_H
#define CRM_LOCK_H

/* ---- read-only tables and global lock --------------------------------- */

static int crm_frozen_newindex(lua_State *L) {
    return luaL_error(L, "attempt to modify read-only table '%s' (key '%s')",
                      lua_tostring(L, lua_upvalueindex(1)), luaL_tolstring(L, 2, NULL));
}
/* Iterator of a frozen table: walks the hidden table held in its upvalue and
 * ignores its first argument, so neither pairs nor the iterator itself ever
 * hands the hidden table to a script. */
static int crm_frozen_next(lua_State *L) {
    lua_settop(L, 2);
    if (lua_next(L, lua_upvalueindex(1))) return 2;
    lua_pushnil(L);
    return 1;
}
/* __pairs: returns (iterator over the hidden table, the proxy, nil). */
static int crm_frozen_pairs(lua_State *L) {
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushcclosure(L, crm_frozen_next, 1);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}
static int crm_frozen_len(lua_State *L) {
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, lua_upvalueindex(1)));
    return 1;
}

/* Moves t's entries into a hidden table reached through __index. */
static void crm_freeze(lua_State *L, int t, const char *name, int visited, int depth) {
    t = lua_absindex(L, t);
    lua_pushvalue(L, t);
    if (lua_rawget(L, visited) != LUA_TNIL) { lua_settop(L, -2); return; }
    lua_settop(L, -2);
    lua_pushvalue(L, t);
    lua_pushboolean(L, 1);
    lua_rawset(L, visited);
    if (lua_getmetatable(L, t)) { lua_settop(L, -2); return; }
    lua_createtable(L, 0, 0);
    int hidden = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, t)) { lua_pushvalue(L, -2); lua_insert(L, -2); lua_rawset(L, hidden); }
    lua_pushnil(L);
    while (lua_next(L, hidden)) { lua_settop(L, -2); lua_pushvalue(L, -1); lua_pushnil(L); lua_rawset(L, t); }
    if (depth < 8) {
        lua_pushnil(L);
        while (lua_next(L, hidden)) {
            if (lua_type(L, -1) == LUA_TTABLE && lua_type(L, -2) == LUA_TSTRING) {
                const char *child = lua_pushfstring(L, "%s.%s", name, lua_tostring(L, -2));
                crm_freeze(L, -2, child, visited, depth + 1);
                lua_settop(L, -2);
            }
            lua_settop(L, -2);
        }
    }
    lua_createtable(L, 0, 5);
    lua_pushvalue(L, hidden);
    lua_setfield(L, -2, "__index");
    lua_pushstring(L, name);
    lua_pushcclosure(L, crm_frozen_newindex, 1);
    lua_setfield(L, -2, "__newindex");
    lua_pushvalue(L, hidden);
    lua_pushcclosure(L, crm_frozen_pairs, 1);
    lua_setfield(L, -2, "__pairs");
    lua_pushvalue(L, hidden);
    lua_pushcclosure(L, crm_frozen_len, 1);
    lua_setfield(L, -2, "__len");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, t);
    lua_getfield(L, LUA_REGISTRYINDEX, "crm.frozen");
    lua_pushvalue(L, t);
    lua_pushboolean(L, 1);
    lua_rawset(L, -3);
    lua_settop(L, hidden - 1);
}

static int crm_global_newindex(lua_State *L) {
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL)
        return luaL_error(L, "attempt to replace protected global '%s'", luaL_tolstring(L, 2, NULL));
    lua_settop(L, 3);
    lua_rawset(L, 1);
    return 0;
}

static int crm_lock_globals(lua_State *L) {
    crm_ctl *c = crm_get_ctl(L);
    if (c->locked) return 0;
    lua_settop(L, 0);
    crm_push_globals(L);            /* 1 */
    lua_createtable(L, 0, 32);      /* 2 backing */
    lua_createtable(L, 0, 0);       /* 3 visited */
    lua_pushvalue(L, 1);
    lua_pushboolean(L, 1);
    lua_rawset(L, 3);
    lua_pushnil(L);
    while (lua_next(L, 1)) { lua_pushvalue(L, -2); lua_insert(L, -2); lua_rawset(L, 2); }
    lua_pushnil(L);
    while (lua_next(L, 2)) { lua_settop(L, -2); lua_pushvalue(L, -1); lua_pushnil(L); lua_rawset(L, 1); }
    lua_pushnil(L);
    while (lua_next(L, 2)) {
        if (lua_type(L, -1) == LUA_TTABLE && lua_type(L, -2) == LUA_TSTRING)
            crm_freeze(L, -1, lua_tostring(L, -2), 3, 0);
        lua_settop(L, -2);
    }
    lua_createtable(L, 0, 3);
    lua_pushvalue(L, 2);
    lua_setfield(L, -2, "__index");
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, crm_global_newindex, 1);
    lua_setfield(L, -2, "__newindex");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, 1);
    lua_pushvalue(L, 2);
    lua_setfield(L, LUA_REGISTRYINDEX, "crm.backing");
    c->locked = 1;
    return 0;
}

/* Host-side global access that honours the lock (value on top is popped). */
static inline void crm_set_global(lua_State *L, const char *name) {
    crm_push_globals(L);                                   /* v G */
    if (crm_get_ctl(L)->locked) {
        lua_pushstring(L, name);
        int in_globals = lua_rawget(L, -2) != LUA_TNIL;
        lua_settop(L, -2);
        if (!in_globals) {
            lua_getfield(L, LUA_REGISTRYINDEX, "crm.backing"); /* v G B */
            lua_pushstring(L, name);
            if (lua_rawget(L, -2) != LUA_TNIL) { lua_settop(L, -2); lua_replace(L, -2); } /* v B */
            else lua_settop(L, -3);                            /* v G */
        }
    }
    lua_pushstring(L, name);
    lua_pushvalue(L, -3);
    lua_rawset(L, -3);
    lua_settop(L, -3);
}

static inline int crm_get_global(lua_State *L, const char *name) {
    crm_push_globals(L);
    lua_pushstring(L, name);
    int t = lua_rawget(L, -2);
    if (t == LUA_TNIL && crm_get_ctl(L)->locked) {
        lua_settop(L, -3);
        lua_getfield(L, LUA_REGISTRYINDEX, "crm.backing");
        lua_pushstring(L, name);
        t = lua_rawget(L, -2);
    }
    lua_replace(L, -2);
    return t;
}


#endif /* CRM_LOCK_H */
