import CLua

extension LuaState {
    /// Where the Lua code that called the running Swift function is: `(chunk, line)`.
    /// Uses only non-raising Lua API, so it is safe inside Swift functions.
    func callerLocation(level: Int32 = 1) -> (chunk: String, line: Int)? {
        var ar = lua_Debug()
        guard lua_getstack(L, level, &ar) != 0, lua_getinfo(L, "Sl", &ar) != 0 else { return nil }
        let chunk = withUnsafeBytes(of: &ar.short_src) { raw -> String in
            let bytes = raw.bindMemory(to: UInt8.self)
            let end = bytes.firstIndex(of: 0) ?? bytes.count
            return String(decoding: bytes[..<end], as: UTF8.self)
        }
        return (chunk, Int(ar.currentline))
    }
}
