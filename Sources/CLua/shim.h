/*
 * shim.h - C side of the CRMScripting sandboxed Lua 5.4 runtime.
 *
 * CLua is a SwiftPM system-library target, so every helper lives here as a
 * `static inline` function.  Rules this file upholds:
 *   - Lua errors never longjmp through Swift frames: Swift functions are
 *     reached through crm_trampoline, return a status, and C raises the error.
 *   - Memory is capped by crm_alloc, but only while Lua code runs
 *     ("script mode"); host (Swift) pushes run uncapped so they cannot raise.
 *   - A count hook enforces the per-call instruction budget.
 *   - string.find/match/gmatch/gsub are guarded against runaway patterns.
 */
#ifndef CRM_CLUA_SHIM_H
#define CRM_CLUA_SHIM_H

#include <lua.h>
#include <lualib.h>
#include <lauxlib.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Swift callbacks.  dispatch: >= 0 results pushed, -1 message pushed (C adds
 * "file:line: "), -2 message pushed and already located.  resolve: 2 when it
 * pushed (source, chunkName), 0 when the module is unknown. */
typedef int (*crm_dispatch_fn)(lua_State *L, void *owner, lua_Integer index);
typedef int (*crm_resolve_fn)(lua_State *L, void *owner, const char *name, size_t len);
typedef void (*crm_print_fn)(void *owner, const char *text, size_t len);

typedef struct crm_ctl {
    size_t mem_used, mem_limit;
    int host_mode;         /* 1: allocator cap lifted (Swift is pushing) */
    int mem_error;         /* a memory error happened during this call */
    int instr_exceeded;
    int depth;             /* nesting of crm_call */
    long long instr_used, instr_budget;
    size_t max_pattern, max_subject;
    double pattern_work;
    int loading_count;     /* entries in the require "loading" stack */
    int locked;
    void *owner;
    crm_dispatch_fn dispatch;
    crm_resolve_fn resolve;
    crm_print_fn print;
} crm_ctl;

enum { CRM_OK = 0, CRM_ERR_RUN = 1, CRM_ERR_SYNTAX = 2, CRM_ERR_INSTR = 3, CRM_ERR_MEM = 4 };

static inline crm_ctl *crm_get_ctl(lua_State *L) { return *(crm_ctl **)lua_getextraspace(L); }
static inline int crm_registry_index(void) { return LUA_REGISTRYINDEX; }
static inline void crm_push_globals(lua_State *L) { lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS); }
static inline void crm_pop(lua_State *L, int n) { lua_settop(L, -(n) - 1); }
static inline size_t crm_memory_used(lua_State *L) { return crm_get_ctl(L)->mem_used; }

static void *crm_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    crm_ctl *c = (crm_ctl *)ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) { free(ptr); c->mem_used -= old; return NULL; }
    if (nsize > old && !c->host_mode && c->mem_used - old + nsize > c->mem_limit) return NULL;
    void *p = realloc(ptr, nsize);
    if (p == NULL) return NULL;
    c->mem_used = c->mem_used - old + nsize;
    return p;
}

static int crm_panic(lua_State *L) {
    const char *m = lua_tostring(L, -1);
    fprintf(stderr, "CRMScripting: unprotected Lua error: %s\n", m ? m : "(non-string)");
    fflush(stderr);
    abort();
    return 0;
}

static void crm_count_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    crm_ctl *c = crm_get_ctl(L);
    c->instr_used += 1000;
    if (c->instr_used > c->instr_budget) {
        c->instr_exceeded = 1;
        luaL_error(L, "instruction limit exceeded (%I instructions)", (lua_Integer)c->instr_budget);
    }
}

/* Message handler: keeps the message, stores a traceback in the registry. */
static int crm_msgh(lua_State *L) {
    crm_ctl *c = crm_get_ctl(L);
    if (lua_type(L, 1) != LUA_TSTRING) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) lua_replace(L, 1);
        else lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1)), lua_replace(L, 1);
    }
    int saved = c->host_mode;
    c->host_mode = 1;
    luaL_traceback(L, L, NULL, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, "crm.traceback");
    c->host_mode = saved;
    lua_settop(L, 1);
    return 1;
}

/* Calls the function below nargs arguments in script mode with a traceback
 * handler.  Resets the instruction budget for outermost calls. */
static inline int crm_call(lua_State *L, int nargs, int nresults) {
    crm_ctl *c = crm_get_ctl(L);
    int base = lua_gettop(L) - nargs;
    lua_pushcclosure(L, crm_msgh, 0);
    lua_insert(L, base);
    if (c->depth == 0) {
        c->instr_used = 0; c->instr_exceeded = 0; c->mem_error = 0;
        if (c->loading_count) { lua_createtable(L, 0, 0); lua_setfield(L, LUA_REGISTRYINDEX, "crm.loading"); c->loading_count = 0; }
    }
    int saved = c->host_mode;
    c->host_mode = 0; c->depth++;
    int st = lua_pcallk(L, nargs, nresults, base, 0, NULL);
    c->depth--; c->host_mode = saved;
    lua_remove(L, base);
    if (st == LUA_OK) return CRM_OK;
    if (st == LUA_ERRMEM || c->mem_error) { c->mem_error = 1; return CRM_ERR_MEM; }
    if (c->instr_exceeded) return CRM_ERR_INSTR;
    return CRM_ERR_RUN;
}

/* Compiles text only (mode "t").  Leaves the function or the message on top. */
static inline int crm_load_text(lua_State *L, const char *src, size_t len, const char *chunk) {
    crm_ctl *c = crm_get_ctl(L);
    if (len > 0 && src[0] == LUA_SIGNATURE[0]) {
        lua_pushfstring(L, "%s: precompiled bytecode is refused; only Lua source text can be loaded", chunk);
        return CRM_ERR_SYNTAX;
    }
    int named = (chunk[0] == '@' || chunk[0] == '=');
    if (!named) chunk = lua_pushfstring(L, "@%s", chunk);
    int saved = c->host_mode;
    c->host_mode = 0;
    int st = luaL_loadbufferx(L, src, len, chunk, "t");
    c->host_mode = saved;
    if (!named) lua_remove(L, -2);
    if (st == LUA_OK) return CRM_OK;
    if (st == LUA_ERRMEM) { c->mem_error = 1; return CRM_ERR_MEM; }
    return CRM_ERR_SYNTAX;
}

/* ---- Swift function trampoline ---------------------------------------- */

/* "file:line: " of the nearest Lua function on the call stack (skips C
 * frames such as pcall), or "" when there is none. */
static void crm_push_where(lua_State *L) {
    lua_Debug ar;
    for (int level = 1; level < 16 && lua_getstack(L, level, &ar); level++) {
        if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
            lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
            return;
        }
    }
    lua_pushliteral(L, "");
}

static int crm_trampoline(lua_State *L) {
    crm_ctl *c = crm_get_ctl(L);
    lua_Integer index = lua_tointegerx(L, lua_upvalueindex(1), NULL);
    int saved = c->host_mode;
    c->host_mode = 1;
    int n = c->dispatch(L, c->owner, index);
    c->host_mode = saved;
    if (n >= 0) return n;
    if (n == -1) { crm_push_where(L); lua_insert(L, -2); lua_concat(L, 2); }
    return lua_error(L);
}

static inline void crm_push_swift_function(lua_State *L, lua_Integer index) {
    lua_pushinteger(L, index);
    lua_pushcclosure(L, crm_trampoline, 1);
}

/* ---- function references (deduplicated through registry "crm.refs") -- */

static inline int crm_ref_function(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    lua_getfield(L, LUA_REGISTRYINDEX, "crm.refs");
    lua_pushvalue(L, idx);
    if (lua_rawget(L, -2) == LUA_TNUMBER) {
        int r = (int)lua_tointegerx(L, -1, NULL);
        lua_settop(L, -3);
        return r;
    }
    lua_settop(L, -2);
    lua_pushvalue(L, idx);
    int r = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pushvalue(L, idx);
    lua_pushinteger(L, r);
    lua_rawset(L, -3);
    lua_settop(L, -2);
    return r;
}

static inline int crm_push_ref(lua_State *L, int ref) { return lua_rawgeti(L, LUA_REGISTRYINDEX, ref); }

static inline void crm_unref(lua_State *L, int ref) {
    lua_getfield(L, LUA_REGISTRYINDEX, "crm.refs");
    lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
    lua_pushnil(L);
    lua_rawset(L, -3);
    lua_settop(L, -2);
    luaL_unref(L, LUA_REGISTRYINDEX, ref);
}

#include "crm_sandbox_base.h"
#include "crm_patterns.h"
#include "crm_lock.h"
#include "crm_setup.h"

#endif /* CRM_CLUA_SHIM_H */
