/* Guard for string.find/match/gmatch/gsub (part of the CLua shim; included by shim.h only). */
#ifndef CRM_PATTERNS_H
#define CRM_PATTERNS_H

/* ---- string pattern guard ---------------------------------------------- */

static int crm_class_matches(int c, int cl) {
    int r;
    switch (tolower(cl)) {
    case 'a': r = isalpha(c); break;
    case 'c': r = iscntrl(c); break;
    case 'd': r = isdigit(c); break;
    case 'g': r = isgraph(c); break;
    case 'l': r = islower(c); break;
    case 'p': r = ispunct(c); break;
    case 's': r = isspace(c); break;
    case 'u': r = isupper(c); break;
    case 'w': r = isalnum(c); break;
    case 'x': r = isxdigit(c); break;
    default: return cl == c;
    }
    if (isupper(cl)) r = !r;
    return r != 0;
}

/* p at '[', ep at the closing ']' */
static int crm_set_matches(int c, const char *p, const char *ep) {
    int neg = 0;
    p++;
    if (*p == '^') { neg = 1; p++; }
    while (p < ep) {
        if (*p == '%' && p + 1 < ep) { p++; if (crm_class_matches(c, (unsigned char)*p)) return !neg; p++; }
        else if (p + 2 < ep && p[1] == '-') {
            if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2]) return !neg;
            p += 3;
        } else { if ((unsigned char)*p == c) return !neg; p++; }
    }
    return neg;
}

/* End of the single-character class starting at p, or NULL if malformed. */
static const char *crm_class_end(const char *p, const char *end) {
    if (p >= end) return NULL;
    char ch = *p++;
    if (ch == '%') return p < end ? p + 1 : NULL;
    if (ch == '[') {
        if (p < end && *p == '^') p++;
        do {
            if (p >= end) return NULL;
            if (*(p++) == '%' && p < end) p++;
        } while (p < end && *p != ']');
        return p < end ? p + 1 : NULL;
    }
    return p;
}

static int crm_item_matches(int c, const char *p, const char *ep) {
    switch (*p) {
    case '.': return 1;
    case '%': return crm_class_matches(c, (unsigned char)p[1]);
    case '[': return crm_set_matches(c, p, ep - 1);
    default: return (unsigned char)*p == c;
    }
}

static double crm_max_run(const char *s, size_t n, const char *p, const char *ep) {
    size_t best = 0, cur = 0;
    if (*p == '.') return (double)n;
    for (size_t i = 0; i < n; i++) {
        if (crm_item_matches((unsigned char)s[i], p, ep)) { if (++cur > best) best = cur; }
        else cur = 0;
    }
    return (double)best;
}

/* Rough upper bound of backtracking steps: starts x product over repeated
 * items of (longest run of subject bytes the item can match + 1).  With
 * exact == 0 every run is assumed to be the whole subject.  0 = malformed
 * pattern (the real function reports it). */
static double crm_pattern_cost(const char *s, size_t n, const char *p, size_t lp, int can_anchor, int exact) {
    const char *end = p + lp;
    double cost = 1;
    if (can_anchor && p < end && *p == '^') p++;
    else cost *= (double)(n + 1);
    while (p < end) {
        if (*p == '(' || *p == ')') { p++; continue; }
        if (*p == '$' && p + 1 == end) { p++; continue; }
        if (*p == '%' && p + 1 < end) {
            if (p[1] == 'b') { if (p + 4 > end) return 0; cost *= (double)(n + 1); p += 4; continue; }
            if (p[1] == 'f') {
                p += 2;
                if (p >= end || *p != '[') return 0;
                const char *e = crm_class_end(p, end);
                if (!e) return 0;
                p = e;
                continue;
            }
            if (isdigit((unsigned char)p[1])) { p += 2; continue; }
        }
        const char *ep = crm_class_end(p, end);
        if (!ep) return 0;
        if (ep < end && (*ep == '*' || *ep == '+' || *ep == '-')) {
            cost *= (exact ? crm_max_run(s, n, p, ep) : (double)n) + 1;
            p = ep + 1;
        } else if (ep < end && *ep == '?') { cost *= 2; p = ep + 1; }
        else p = ep;
    }
    return cost;
}

/* upvalues: 1 = original function, 2 = kind (0 find, 1 match, 2 gmatch, 3 gsub) */
static int crm_pattern_guard(lua_State *L) {
    crm_ctl *c = crm_get_ctl(L);
    int kind = (int)lua_tointegerx(L, lua_upvalueindex(2), NULL);
    size_t ls = 0, lp = 0;
    const char *s = lua_type(L, 1) == LUA_TSTRING ? lua_tolstring(L, 1, &ls) : NULL;
    const char *p = lua_type(L, 2) == LUA_TSTRING ? lua_tolstring(L, 2, &lp) : NULL;
    if (ls > c->max_subject)
        return luaL_error(L, "string too long for pattern matching (%I bytes; the limit is %I)",
                          (lua_Integer)ls, (lua_Integer)c->max_subject);
    if (lp > c->max_pattern)
        return luaL_error(L, "pattern too long (%I bytes; the limit is %I)", (lua_Integer)lp, (lua_Integer)c->max_pattern);
    if (s && p && !(kind == 0 && lua_toboolean(L, 4))) {
        double cost = crm_pattern_cost(s, ls, p, lp, kind != 2, 0);
        if (cost > c->pattern_work) cost = crm_pattern_cost(s, ls, p, lp, kind != 2, 1);
        if (cost > c->pattern_work) {
            char buf[160];
            snprintf(buf, sizeof buf, "pattern too complex for a %zu-byte string (about %.3g backtracking steps; the limit is %.3g)",
                     ls, cost, c->pattern_work);
            return luaL_error(L, "%s", buf);
        }
    }
    /* The original is one of the string library's C functions, which use no upvalues and
     * read their arguments at 1..n: run it in this call's frame instead of calling it
     * through Lua (no second frame, and its argument errors name the function as called). */
    lua_CFunction original = lua_tocfunction(L, lua_upvalueindex(1));
    if (original == NULL) return luaL_error(L, "string pattern function missing");
    return original(L);
}


#endif /* CRM_PATTERNS_H */
