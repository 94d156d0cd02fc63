import CLua

/// Helpers for an interactive console.
extension LuaState {
    /// True when `source` fails to compile only because it ends too early
    /// (e.g. `function f()`), so a console should read another line.
    public func isIncomplete(source: String) -> Bool {
        guard isUsable else { return false }
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        guard loadStatus(source, "=stdin") == Int32(CRM_ERR_SYNTAX) else { return false }
        return string(at: -1).hasSuffix("<eof>")
    }

    /// Evaluates one console line: first as an expression (`return <line>`),
    /// then, if that does not compile, as a statement.  Returns the results.
    public func evaluate(line: String, chunkName: String = "=stdin") throws(LuaError) -> [LuaValue] {
        try checkUsable()
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        if loadStatus("return " + line, chunkName) != Int32(CRM_OK) {
            lua_settop(L, top)
            try compile(line, chunkName)
        }
        return try callOnStack(nargs: 0, base: top)
    }
}
