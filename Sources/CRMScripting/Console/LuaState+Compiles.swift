import CLua

extension LuaState {
    /// Whether `source` compiles (as text); nothing runs.
    func compiles(_ source: String) -> Bool {
        guard isUsable else { return false }
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        return loadStatus(source, "=check") == Int32(CRM_OK)
    }
}
