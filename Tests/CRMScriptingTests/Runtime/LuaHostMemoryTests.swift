import Testing
@testable import CRMScripting

/// Values pushed from Swift (arguments, results of Swift functions, globals) count against the
/// memory cap: a value that does not fit is refused before it is allocated.
struct LuaHostMemoryTests {
    private let limit = 4 << 20
    private var huge: String { String(repeating: "x", count: 8 << 20) }

    @Test func aHugeArgumentIsRefusedAndTheStateStaysUsable() throws {
        let state = LuaState(limits: LuaLimits(memoryLimit: limit))
        let length = try state.load(source: "return #(...)", chunkName: "len.lua")
        #expect(throws: LuaError.memoryLimitExceeded(limit: limit)) { try state.call(length, [.string(huge)]) }
        #expect(state.memoryInUse <= limit)
        #expect(throws: LuaError.memoryLimitExceeded(limit: limit)) {
            try state.call(length, [.table(LuaTable(array: (0..<200_000).map { .string("row \($0) with some text") }))])
        }
        #expect(state.memoryInUse <= limit)
        #expect(state.isUsable)
        #expect(try state.call(length, ["abc"]) == [.integer(3)])
    }

    @Test func aHugeRecordIsRefused() throws {
        let state = LuaState(limits: LuaLimits(memoryLimit: limit))
        // The record is lazy: the huge field is converted (and refused) when the hook reads it.
        let hook = try state.load(source: "return function(r) local notes = r.notes end", chunkName: "hook.lua")
        guard case .function(let function)? = try state.call(hook).first else { Issue.record("no hook"); return }
        #expect(throws: LuaError.memoryLimitExceeded(limit: limit)) { try state.call(function, record: [("notes", .string(huge))]) }
        #expect(state.memoryInUse <= limit)
        if case .changed = try state.call(function, record: [("notes", "short")]) {} else { Issue.record("expected changed") }
    }

    @Test func aHugeResultOfASwiftFunctionFailsTheCallUncatchably() throws {
        let state = LuaState(limits: LuaLimits(memoryLimit: limit))
        let big = huge
        try state.register("crm.big") { _ in [.string(big)] }
        try state.register("crm.rows") { _ in [.table(LuaTable(array: (0..<200_000).map { .string("row \($0) with some text") }))] }
        try state.lockGlobals()
        #expect(throws: LuaError.memoryLimitExceeded(limit: limit)) {
            try state.run(source: "local ok = pcall(crm.big) return ok", chunkName: "big.lua")
        }
        #expect(state.memoryInUse <= limit)
        #expect(throws: LuaError.memoryLimitExceeded(limit: limit)) {
            try state.run(source: "local rows = crm.rows() return #rows", chunkName: "rows.lua")
        }
        #expect(state.memoryInUse <= limit)
        #expect(state.isUsable)
        #expect(try state.run(source: "return 1 + 1", chunkName: "after.lua") == [.integer(2)])
    }

    @Test func aHugeGlobalIsRefused() throws {
        let state = LuaState(limits: LuaLimits(memoryLimit: limit))
        #expect(throws: LuaError.memoryLimitExceeded(limit: limit)) { try state.setGlobal("blob", .string(huge)) }
        #expect(state.memoryInUse <= limit)
        #expect(try state.global("blob") == .nil)
        try state.setGlobal("blob", "small")
        #expect(try state.global("blob") == "small")
    }
}
