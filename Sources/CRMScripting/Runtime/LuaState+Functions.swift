import CLua

/// Registering Swift functions and dispatching Lua calls to them.
extension LuaState {
    /// Makes `function` callable from Lua under `path`, e.g. `"crm.create"` or
    /// `"crm.customers.claim"`; intermediate tables are created as needed.
    /// Throws `.invalidOperation` for an empty path component, when an
    /// intermediate value is not a table, or after `lockGlobals()`.
    public func register(_ path: String, _ function: @escaping LuaSwiftFunction) throws(LuaError) {
        try checkUsable()
        guard !isLocked else {
            throw .invalidOperation(message: "cannot register '\(path)' after lockGlobals(); register functions first")
        }
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !parts.contains(where: \.isEmpty) else {
            throw .invalidOperation(message: "invalid function path '\(path)'")
        }
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        guard lua_checkstack(L, Int32(clamping: parts.count * 2 + 8)) != 0 else {
            throw .invalidOperation(message: "function path '\(path)' is too deep")
        }
        crm_push_globals(L)
        for name in parts.dropLast() {
            pushString(name)
            switch lua_rawget(L, -2) {
            case LUA_TTABLE:
                break
            case LUA_TNIL:
                lua_settop(L, -2)
                lua_createtable(L, 0, 4)
                pushString(name)
                lua_pushvalue(L, -2)
                lua_rawset(L, -4)
            default:
                throw .invalidOperation(message: "cannot register '\(path)': '\(name)' is not a table")
            }
        }
        functions.append((name: path, body: function))
        pushString(parts[parts.count - 1])
        crm_push_swift_function(L, lua_Integer(functions.count - 1))
        lua_rawset(L, -3)
    }

    /// Called by the C trampoline.  Returns the number of results pushed, or
    /// -1 (message pushed, C adds the caller's location) / -2 (message already
    /// located).  Never lets a Lua error escape: only non-raising API is used.
    func dispatch(_ thread: OpaquePointer, _ index: Int) -> Int32 {
        guard thread == L, index >= 0, index < functions.count else {
            pushMessage("invalid Swift function call")
            return -1
        }
        let entry = functions[index]
        var arguments = LuaArguments(state: self, count: Int(lua_gettop(L)), functionName: entry.name)
        do {
            let results = try entry.body(&arguments)
            guard lua_checkstack(L, Int32(clamping: results.count + 4)) != 0 else {
                pushMessage("too many results from '\(entry.name)'")
                return -1
            }
            let base = lua_gettop(L)
            for result in results { push(result) }
            if ctl.pointee.host_refused != 0 {
                lua_settop(L, base)
                crm_collect(L)
                pushMessage("not enough memory: the result of '\(entry.name)' does not fit in the script memory limit (\(limits.memoryLimit) bytes)")
                return -3
            }
            return Int32(results.count)
        } catch let error as LuaError {
            pushMessage(error.description)
            switch error {
            case .runtime(_, let chunk, let line, _) where chunk != nil || line != nil: return -2
            case .syntax, .instructionLimitExceeded, .timeLimitExceeded, .memoryLimitExceeded: return -2
            default: return -1
            }
        } catch {
            pushMessage(String(describing: error))
            return -1
        }
    }
}
