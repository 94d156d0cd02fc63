/*
 * shim.h - C side of the CRMScripting sandboxed Lua 5.4 runtime.
 *
 * CLua is a SwiftPM system-library target, so every helper lives here as a
 * `static inline` function.  Rules this file upholds:
 *   - Lua errors never longjmp through Swift frames: Swift functions are
 *     reached through crm_trampoline, return a status, and C raises the error.
 *   - Memory is capped by crm_alloc while Lua code runs ("script mode").
 *     Host (Swift) pushes cannot be refused by the allocator (that would
 *     raise through Swift frames), so Swift checks every value against the
 *     cap before allocating it (crm_host_fits) and fails the call cleanly.
 *   - A count hook enforces the instruction budget and the wall-clock
 *     deadline: per outermost call, or shared across calls while the host
 *     holds a budget (budget_held).
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
#include <time.h>

/* Swift callbacks.  dispatch: >= 0 results pushed, -1 message pushed (C adds
 * "file:line: "), -2 message pushed and already located, -3 message pushed
 * and the results did not fit under the memory cap (not catchable).  resolve: 2 when it
 * pushed (source, chunkName), 0 when the module is unknown. */
typedef int (*crm_dispatch_fn)(lua_State *L, void *owner, lua_Integer index);
typedef int (*crm_resolve_fn)(lua_State *L, void *owner, const char *name, size_t len);
typedef void (*crm_print_fn)(void *owner, const char *text, size_t len);
/* record: a record table's field access (crm_records.h); results as dispatch. */
typedef int (*crm_record_fn)(lua_State *L, void *owner, int op);

typedef struct crm_ctl {
    size_t mem_used, mem_limit;
    int host_mode;         /* 1: allocator cap lifted (Swift is pushing) */
    int mem_error;         /* a memory error happened during this call */
    int instr_exceeded;
    int time_exceeded;     /* the wall-clock deadline passed during this call */
    int host_refused;      /* Swift refused to push a value that would exceed the cap */
    int budget_held;       /* 1: the host set instr_used/deadline; outermost calls keep them */
    int depth;             /* nesting of crm_call */
    long long instr_used, instr_budget;
    double time_limit;     /* seconds per outermost call when no budget is held; 0: none */
    double deadline;       /* crm_now() value after which the hook stops the script; 0: none */
    size_t max_pattern, max_subject;
    double pattern_work;
    int loading_count;     /* entries in the require "loading" stack */
    int locked;
    void *owner;
    crm_dispatch_fn dispatch;
    crm_resolve_fn resolve;
    crm_print_fn print;
    crm_record_fn record;
    int record_mt;         /* registry reference of the record metatable */
} crm_ctl;

enum { CRM_OK = 0, CRM_ERR_RUN = 1, CRM_ERR_SYNTAX = 2, CRM_ERR_INSTR = 3, CRM_ERR_MEM = 4,
       CRM_ERR_TIME = 5, CRM_ERR_HOSTMEM = 6 };

/* Monotonic seconds (vDSO clock_gettime: tens of nanoseconds). */
static inline double crm_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline crm_ctl *crm_get_ctl(lua_State *L) { return *(crm_ctl **)lua_getextraspace(L); }
static inline int crm_registry_index(void) { return LUA_REGISTRYINDEX; }
static inline void crm_push_globals(lua_State *L) { lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS); }
static inline void crm_pop(lua_State *L, int n) { lua_settop(L, -(n) - 1); }
static inline size_t crm_memory_used(lua_State *L) { return crm_get_ctl(L)->mem_used; }

/* Whether the host may allocate `bytes` more without passing the cap; when
 * not, marks the refusal so the running call fails with a memory error. */
static inline int crm_host_fits(crm_ctl *c, size_t bytes) {
    if (c->mem_used <= c->mem_limit && bytes <= c->mem_limit - c->mem_used) return 1;
    c->host_refused = 1;
    return 0;
}

/* Full collection (host mode; the sandbox refuses __gc, so nothing can raise). */
static inline void crm_collect(lua_State *L) { lua_gc(L, LUA_GCCOLLECT, 0); }

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

/* Raises "file:line: <what>" located at the running Lua function (level 0:
 * a count hook runs inside the function it interrupts). */
static int crm_limit_error(lua_State *L, const char *what) {
    lua_Debug ar;
    if (lua_getstack(L, 0, &ar) && lua_getinfo(L, "Sl", &ar) && ar.currentline > 0)
        lua_pushfstring(L, "%s:%d: %s", ar.short_src, ar.currentline, what);
    else
        lua_pushstring(L, what);
    return lua_error(L);
}

static void crm_count_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    crm_ctl *c = crm_get_ctl(L);
    c->instr_used += 1000;
    if (c->instr_used > c->instr_budget) {
        c->instr_exceeded = 1;
        crm_limit_error(L, "instruction limit exceeded");
    }
    if (c->deadline > 0 && crm_now() > c->deadline) {
        c->time_exceeded = 1;
        crm_limit_error(L, "time limit exceeded");
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
 * handler.  Outermost calls start a fresh instruction budget and deadline
 * unless the host holds a budget (then they continue it, and a budget
 * already spent fails at once). */
static inline int crm_call(lua_State *L, int nargs, int nresults) {
    crm_ctl *c = crm_get_ctl(L);
    int base = lua_gettop(L) - nargs;
    if (c->depth == 0) {
        c->instr_exceeded = 0; c->time_exceeded = 0; c->mem_error = 0; c->host_refused = 0;
        if (!c->budget_held) {
            c->instr_used = 0;
            c->deadline = c->time_limit > 0 ? crm_now() + c->time_limit : 0;
        } else if (c->instr_used > c->instr_budget) {
            c->instr_exceeded = 1;
            lua_pushliteral(L, "instruction limit exceeded");
            return CRM_ERR_INSTR;
        } else if (c->deadline > 0 && crm_now() > c->deadline) {
            c->time_exceeded = 1;
            lua_pushliteral(L, "time limit exceeded");
            return CRM_ERR_TIME;
        }
        if (c->loading_count) { lua_createtable(L, 0, 0); lua_setfield(L, LUA_REGISTRYINDEX, "crm.loading"); c->loading_count = 0; }
    }
    lua_pushcclosure(L, crm_msgh, 0);
    lua_insert(L, base);
    int saved = c->host_mode;
    c->host_mode = 0; c->depth++;
    int st = lua_pcallk(L, nargs, nresults, base, 0, NULL);
    c->depth--; c->host_mode = saved;
    lua_remove(L, base);
    if (st == LUA_OK) return CRM_OK;
    if (st == LUA_ERRMEM || c->mem_error) { c->mem_error = 1; return CRM_ERR_MEM; }
    if (c->host_refused) return CRM_ERR_HOSTMEM;
    if (c->instr_exceeded) return CRM_ERR_INSTR;
    if (c->time_exceeded) return CRM_ERR_TIME;
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

/* A host callback's result (the dispatch convention): n >= 0 results are returned; otherwise
 * its message is raised, located first for -1, as a memory refusal for -3. */
static int crm_host_result(lua_State *L, crm_ctl *c, int n) {
    if (n >= 0) return n;
    if (n == -3) { c->host_refused = 1; return lua_error(L); }
    if (n == -1) { crm_push_where(L); lua_insert(L, -2); lua_concat(L, 2); }
    return lua_error(L);
}

static int crm_trampoline(lua_State *L) {
    crm_ctl *c = crm_get_ctl(L);
    lua_Integer index = lua_tointegerx(L, lua_upvalueindex(1), NULL);
    int saved = c->host_mode;
    c->host_mode = 1;
    int n = c->dispatch(L, c->owner, index);
    c->host_mode = saved;
    return crm_host_result(L, c, n);
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

#include "crm_records.h"
#include "crm_sandbox_base.h"
#include "crm_patterns.h"
#include "crm_lock.h"
#include "crm_setup.h"

#endif /* CRM_CLUA_SHIM_H */
