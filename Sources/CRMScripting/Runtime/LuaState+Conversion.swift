import CLua

/// Conversion between `LuaValue` and the Lua stack.  All of it runs in host
/// mode (the allocator cannot refuse without raising through Swift frames) and
/// uses only raw, non-raising API calls.  Instead, every string and table is
/// checked against the memory cap before it is allocated (`crm_host_fits`): a
/// value that does not fit is pushed as `nil` and the refusal is recorded, and
/// the caller fails the call with `.memoryLimitExceeded` (`checkHostPushes`).
/// The cap is thus passed by at most a few dozen bytes of bookkeeping.
extension LuaState {
    /// Pushes a Swift string as a Lua string (bytes copied, no conversion).
    @inline(__always)
    func pushString(_ string: String) {
        var string = string
        string.withUTF8 { buffer in
            guard crm_host_fits(ctl, buffer.count + 40) != 0 else {
                lua_pushnil(L)
                return
            }
            _ = lua_pushlstring(L, UnsafeRawPointer(buffer.baseAddress)?.assumingMemoryBound(to: CChar.self), buffer.count)
        }
    }

    /// Pushes a short message (an error text) without the memory check, so a
    /// failure can always be reported.
    func pushMessage(_ message: String) {
        var message = message
        message.withUTF8 { buffer in
            _ = lua_pushlstring(L, UnsafeRawPointer(buffer.baseAddress)?.assumingMemoryBound(to: CChar.self), min(buffer.count, 4096))
        }
    }

    /// Pushes one value; functions of another state are pushed as `nil`.
    func push(_ value: LuaValue) {
        switch value {
        case .nil: lua_pushnil(L)
        case .boolean(let b): lua_pushboolean(L, b ? 1 : 0)
        case .integer(let i): lua_pushinteger(L, i)
        case .number(let d): lua_pushnumber(L, d)
        case .string(let s): pushString(s)
        case .table(let t): pushTable(t)
        case .function(let f):
            if f.stateID == id { crm_push_ref(L, f.reference) } else { lua_pushnil(L) }
        }
    }

    func pushTable(_ table: LuaTable) {
        let entries = table.array.count + table.fields.count + table.otherEntries.count
        guard lua_checkstack(L, 4) != 0, crm_host_fits(ctl, entries * 40 + 64) != 0 else {
            lua_pushnil(L)
            return
        }
        lua_createtable(L, Int32(clamping: table.array.count), Int32(clamping: table.fields.count + table.otherEntries.count))
        for (offset, element) in table.array.enumerated() {
            if case .nil = element { continue }
            push(element)
            lua_rawseti(L, -2, lua_Integer(offset + 1))
        }
        for (key, element) in table.fields {
            if case .nil = element { continue }
            pushString(key)
            push(element)
            lua_rawset(L, -3)
        }
        for (key, element) in table.otherEntries {
            if case .nil = element { continue }
            if case .number(let d) = key, d.isNaN { continue }
            push(key)
            if lua_type(L, -1) == LUA_TNIL {
                lua_settop(L, -2)
                continue
            }
            push(element)
            lua_rawset(L, -3)
        }
    }

    /// Throws `.memoryLimitExceeded` (after dropping everything above `top` and
    /// collecting garbage) when a push since the last call was refused for memory.
    func checkHostPushes(_ top: Int32) throws(LuaError) {
        guard ctl.pointee.host_refused != 0 else { return }
        lua_settop(L, top)
        releaseRefusedPushes()
        throw .memoryLimitExceeded(limit: limits.memoryLimit)
    }

    /// Collects what the refused pushes left behind; outside a running call the
    /// refusal is cleared (inside one it stays set so the running call fails too).
    func releaseRefusedPushes() {
        crm_collect(L)
        if ctl.pointee.depth == 0 { ctl.pointee.host_refused = 0 }
    }

    /// Reads the string at `index` (which must be a string or a number already
    /// known to be a string) as UTF-8.
    @inline(__always)
    func string(at index: Int32) -> String {
        var length = 0
        guard let bytes = lua_tolstring(L, index, &length) else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self)
    }

    /// The Lua type name of the value at `index`.
    func typeName(at index: Int32) -> String {
        String(cString: lua_typename(L, lua_type(L, index)))
    }

    func makeRef(at index: Int32) -> LuaFunctionRef {
        LuaFunctionRef(stateID: id, reference: crm_ref_function(L, index))
    }

    /// Converts the value at `index`.  Userdata and threads read as `.nil`.
    func value(at index: Int32, depth: Int = 0) throws(LuaError) -> LuaValue {
        switch lua_type(L, index) {
        case LUA_TBOOLEAN:
            return .boolean(lua_toboolean(L, index) != 0)
        case LUA_TNUMBER:
            if lua_isinteger(L, index) != 0 { return .integer(lua_tointegerx(L, index, nil)) }
            return .number(lua_tonumberx(L, index, nil))
        case LUA_TSTRING:
            return .string(string(at: index))
        case LUA_TTABLE:
            return .table(try table(at: index, depth: depth))
        case LUA_TFUNCTION:
            return .function(makeRef(at: index))
        default:
            return .nil
        }
    }

    /// Converts the table at `index`, refusing nesting beyond `maxTableDepth`.
    func table(at index: Int32, depth: Int) throws(LuaError) -> LuaTable {
        guard depth < limits.maxTableDepth else {
            throw .conversion(message: "table nesting deeper than \(limits.maxTableDepth) levels (cyclic table?)")
        }
        guard lua_checkstack(L, 6) != 0 else { throw .conversion(message: "Lua stack overflow while converting a table") }
        let t = lua_absindex(L, index)
        fetchAllFieldsIfRecord(at: t)
        let count = Int(lua_rawlen(L, t))
        var result = LuaTable(array: [])
        if count > 0 {
            result.array.reserveCapacity(count)
            for position in 1...count {
                lua_rawgeti(L, t, lua_Integer(position))
                result.array.append(try value(at: -1, depth: depth + 1))
                lua_settop(L, -2)
            }
        }
        lua_pushnil(L)
        while lua_next(L, t) != 0 {
            switch lua_type(L, -2) {
            case LUA_TSTRING:
                result.fields[string(at: -2)] = try value(at: -1, depth: depth + 1)
            case LUA_TNUMBER where isSequenceKey(count: count):
                break
            default:
                let key = try value(at: -2, depth: depth + 1)
                result.otherEntries[key] = try value(at: -1, depth: depth + 1)
            }
            lua_settop(L, -2)
        }
        return result
    }

    /// Whether the key at -2 is an integer inside `1...count`.
    private func isSequenceKey(count: Int) -> Bool {
        guard count > 0, lua_isinteger(L, -2) != 0 else { return false }
        let key = lua_tointegerx(L, -2, nil)
        return key >= 1 && key <= Int64(count)
    }
}
