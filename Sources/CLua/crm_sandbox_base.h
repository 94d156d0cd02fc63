/* Sandboxed base functions and require (part of the CLua shim; included by shim.h only). */
#ifndef CRM_SANDBOX_BASE_H
#define CRM_SANDBOX_BASE_H

/* ---- sandboxed base functions ----------------------------------------- */

static int crm_finish_pcall(lua_State *L, int status, int extra) {
    crm_ctl *c = crm_get_ctl(L);
    if (status == LUA_ERRMEM) c->mem_error = 1;
    if (status != LUA_OK) {
        if (c->instr_exceeded || c->time_exceeded || c->mem_error || c->host_refused)
            return lua_error(L); /* limits are not catchable */
        lua_pushboolean(L, 0);
        lua_pushvalue(L, -2);
        return 2;
    }
    return lua_gettop(L) - extra;
}

static int crm_pcall(lua_State *L) {
    luaL_checkany(L, 1);
    lua_pushboolean(L, 1);
    lua_insert(L, 1);
    return crm_finish_pcall(L, lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, NULL), 0);
}

static int crm_xpcall(lua_State *L) {
    int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushboolean(L, 1);
    lua_pushvalue(L, 1);
    lua_rotate(L, 3, 2);
    return crm_finish_pcall(L, lua_pcallk(L, n - 2, LUA_MULTRET, 2, 0, NULL), 2);
}

static int crm_setmetatable(lua_State *L) {
    int t = lua_type(L, 2);
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
    if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
        return luaL_error(L, "cannot change a protected metatable");
    if (t == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL) return luaL_error(L, "__gc metamethods are not allowed in the sandbox");
    }
    lua_settop(L, 2);
    lua_setmetatable(L, 1);
    return 1;
}

static int crm_is_protected(lua_State *L, int t, int k) {
    int r = 0;
    lua_getfield(L, LUA_REGISTRYINDEX, "crm.frozen");
    lua_pushvalue(L, t);
    if (lua_rawget(L, -2) != LUA_TNIL) r = 1;
    lua_settop(L, -3);
    if (!r && crm_get_ctl(L)->locked) {
        crm_push_globals(L);
        if (lua_rawequal(L, -1, t)) {
            lua_getfield(L, LUA_REGISTRYINDEX, "crm.backing");
            lua_pushvalue(L, k);
            r = lua_rawget(L, -2) != LUA_TNIL;
            lua_settop(L, -3);
        }
        lua_settop(L, -2);
    }
    return r;
}

static int crm_rawset(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checkany(L, 2);
    luaL_checkany(L, 3);
    if (crm_is_protected(L, 1, 2)) return luaL_error(L, "attempt to modify a protected table with rawset");
    lua_settop(L, 3);
    if (lua_type(L, 2) == LUA_TSTRING && crm_is_record(L, 1)) { crm_record_host(L, CRM_RECORD_NEWINDEX); lua_settop(L, 3); }
    lua_rawset(L, 1);
    return 1;
}

static int crm_print(lua_State *L) {
    int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        if (i > 1) luaL_addchar(&b, '\t');
        luaL_tolstring(L, i, NULL);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    crm_ctl *c = crm_get_ctl(L);
    size_t len;
    const char *text = lua_tolstring(L, -1, &len);
    if (c->print) {
        int saved = c->host_mode;
        c->host_mode = 1;
        c->print(c->owner, text, len);
        c->host_mode = saved;
    }
    return 0;
}

/* ---- require (modules of the same script pack only) ------------------- */

static int crm_require(lua_State *L) {
    size_t len;
    const char *name = luaL_checklstring(L, 1, &len);
    crm_ctl *c = crm_get_ctl(L);
    lua_settop(L, 1);
    lua_getfield(L, LUA_REGISTRYINDEX, "crm.loaded");  /* 2 */
    lua_getfield(L, LUA_REGISTRYINDEX, "crm.loading"); /* 3 */
    lua_pushvalue(L, 1);
    if (lua_rawget(L, 2) != LUA_TNIL) return 1;
    lua_settop(L, 3);
    lua_Integer n = (lua_Integer)lua_rawlen(L, 3);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, 3, i);
        int same = lua_rawequal(L, -1, 1);
        lua_settop(L, 3);
        if (same) {
            luaL_Buffer b;
            luaL_buffinit(L, &b);
            for (lua_Integer j = i; j <= n; j++) {
                lua_rawgeti(L, 3, j);
                luaL_addvalue(&b);
                luaL_addstring(&b, " -> ");
            }
            luaL_addstring(&b, name);
            luaL_pushresult(&b);
            return luaL_error(L, "require cycle detected: %s", lua_tostring(L, -1));
        }
    }
    int r = 0;
    if (c->resolve) {
        int saved = c->host_mode;
        c->host_mode = 1;
        r = c->resolve(L, c->owner, name, len);
        c->host_mode = saved;
    }
    if (r != 2) return luaL_error(L, "module '%s' not found in this script pack", name);
    size_t sl;
    const char *src = lua_tolstring(L, 4, &sl);
    int st = crm_load_text(L, src, sl, lua_tostring(L, 5));
    if (st != CRM_OK) return lua_error(L);
    lua_pushvalue(L, 1);
    lua_rawseti(L, 3, n + 1);
    c->loading_count++;
    lua_pushvalue(L, 1);
    lua_callk(L, 1, 1, 0, NULL);
    lua_pushnil(L);
    lua_rawseti(L, 3, n + 1);
    c->loading_count--;
    if (lua_isnil(L, -1)) { lua_settop(L, -2); lua_pushboolean(L, 1); }
    lua_pushvalue(L, 1);
    lua_pushvalue(L, -2);
    lua_rawset(L, 2);
    return 1;
}


#endif /* CRM_SANDBOX_BASE_H */
