import Testing
@testable import CRMScripting

/// Sandbox and resource-limit tests for `LuaState`.
struct LuaRuntimeTests {
    private func runtimeMessage(_ state: LuaState, _ source: String) -> String? {
        do {
            _ = try state.run(source: source, chunkName: "probe.lua")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func sandboxHasNoIoOsExecuteGetenvDebugOrLoaders() throws {
        let state = LuaState()
        let results = try state.run(source: """
            return io, os.execute, os.getenv, os.remove, debug, load, dofile, loadfile,
                   string.dump, collectgarbage, package
            """, chunkName: "probe.lua")
        #expect(results.count == 11)
        #expect(results.allSatisfy { $0 == .nil })
        let os = try state.run(source: "return type(os.time()), type(os.date('%Y')), type(os.clock())", chunkName: "os.lua")
        #expect(os == ["number", "string", "number"])
    }

    @Test func requireOfUnknownModuleIsRefused() {
        let state = LuaState()
        let message = runtimeMessage(state, "local s = require('socket')")
        #expect(message == "probe.lua:1: module 'socket' not found in this script pack")
    }

    @Test func callingRemovedFunctionsFails() {
        let state = LuaState()
        #expect(runtimeMessage(state, "load('return 1')")?.contains("attempt to call a nil value") == true)
        #expect(runtimeMessage(state, "dofile('/etc/passwd')")?.contains("nil value") == true)
        #expect(runtimeMessage(state, "collectgarbage()")?.contains("nil value") == true)
    }

    @Test func bytecodeIsRefused() {
        let state = LuaState()
        #expect(throws: LuaError.self) { try state.load(source: "\u{1B}Lua\u{54}\u{00}junk", chunkName: "evil.lua") }
        do {
            _ = try state.load(source: "\u{1B}Lua\u{54}\u{00}junk", chunkName: "evil.lua")
        } catch {
            guard case .syntax(_, _, let message) = error else { Issue.record("expected syntax error"); return }
            #expect(message.contains("bytecode"))
        }
    }

    @Test func infiniteLoopHitsInstructionLimitAndStateStaysUsable() throws {
        let state = LuaState(limits: LuaLimits(instructionBudget: 5_000_000))
        #expect(throws: LuaError.instructionLimitExceeded(budget: 5_000_000, chunk: "loop.lua", line: 1)) {
            try state.run(source: "while true do end", chunkName: "loop.lua")
        }
        // pcall inside the script cannot swallow the limit.
        #expect(throws: LuaError.instructionLimitExceeded(budget: 5_000_000, chunk: "loop2.lua", line: 1)) {
            try state.run(source: "while true do pcall(function() while true do end end) end", chunkName: "loop2.lua")
        }
        #expect(state.isUsable)
        #expect(try state.run(source: "return 1 + 1", chunkName: "after.lua") == [.integer(2)])
    }

    @Test func memoryBombFailsAndPoisonsTheState() throws {
        let state = LuaState(limits: LuaLimits(memoryLimit: 16 << 20))
        #expect(throws: LuaError.memoryLimitExceeded(limit: 16 << 20)) {
            try state.run(source: "local t = {} for i=1,1e9 do t[i]=('x'):rep(1000) .. i end", chunkName: "bomb.lua")
        }
        #expect(!state.isUsable)
        #expect(throws: LuaError.stateUnusable) { try state.run(source: "return 1", chunkName: "x.lua") }
        let fresh = LuaState(limits: LuaLimits(memoryLimit: 16 << 20))
        #expect(throws: LuaError.memoryLimitExceeded(limit: 16 << 20)) {
            try fresh.run(source: "local ok = pcall(string.rep, 'x', 1e9) return ok", chunkName: "bomb2.lua")
        }
    }

    @Test func pathologicalPatternsAreRefusedQuickly() throws {
        let state = LuaState()
        let clock = ContinuousClock()
        let start = clock.now
        let long = runtimeMessage(state, "return string.rep('a', 2000000):find('.-.-.-.-b')")
        #expect(long?.contains("string too long for pattern matching") == true)
        let complex = runtimeMessage(state, "return string.rep('a', 100000):find('.-.-.-.-b')")
        #expect(complex?.contains("pattern too complex") == true)
        let method = runtimeMessage(state, "local s = ('a'):rep(50000) return s:match('a*a*b')")
        #expect(method?.contains("pattern too complex") == true)
        let longPattern = runtimeMessage(state, "return ('abc'):find(('x'):rep(300))")
        #expect(longPattern?.contains("pattern too long") == true)
        #expect(clock.now - start < .seconds(1))
        // Ordinary patterns on ordinary text still work, including on large subjects.
        let ok = try state.run(source: """
            local text = ('hello world '):rep(50000)
            local n = select(2, text:gsub('%s+', ' '))
            return n, ('zhang.wei@example.com'):match('^([%w.]+)@([%w.]+)$')
            """, chunkName: "ok.lua")
        #expect(ok == [.integer(100000), "zhang.wei", "example.com"])
    }

    /// The guard runs the string library's function in its own call frame: every result,
    /// `gmatch`'s iterator and `gsub`'s count come through, and a bad argument names the
    /// function as the script called it, with the script's line.
    @Test func guardedPatternFunctionsBehaveAsTheLibrarys() throws {
        let state = LuaState()
        let results = try state.run(source: """
            local s = "+86 138-0013-8000"
            local a, b = s:find("%d+")
            local plain = s:find("-", 1, true)
            local words = {}
            for w in ("华信 科技 有限"):gmatch("%S+") do words[#words + 1] = w end
            local digits, n = s:gsub("[%s%-]", "")
            return a, b, plain, table.concat(words, "|"), digits, n, string.match("ab12", "(%a+)(%d+)")
            """, chunkName: "guard.lua")
        #expect(results == [.integer(2), .integer(3), .integer(8), "华信|科技|有限", "+8613800138000", .integer(3), "ab", "12"])
        let bad = runtimeMessage(state, "local t = {}\nreturn ('x'):find(t)")
        #expect(bad?.contains("guard.lua") == false)
        #expect(bad?.contains("probe.lua:2: bad argument #1 to 'find' (string expected, got table)") == true, "\(bad ?? "")")
    }

    @Test func lockedGlobalsProtectBuiltins() throws {
        let state = LuaState()
        try state.register("crm.ping") { _ in ["pong"] }
        try state.lockGlobals()
        #expect(runtimeMessage(state, "string = nil")?.contains("protected global 'string'") == true)
        #expect(runtimeMessage(state, "string.find = print")?.contains("read-only table 'string'") == true)
        #expect(runtimeMessage(state, "crm.ping = nil")?.contains("read-only table 'crm'") == true)
        #expect(runtimeMessage(state, "rawset(math, 'pi', 3)")?.contains("protected") == true)
        let ok = try state.run(source: """
            counter = (counter or 0) + 1
            local n = 0 for k in pairs(string) do n = n + 1 end
            return counter, crm.ping(), ('abc'):upper(), n > 10, undefined_thing
            """, chunkName: "ok.lua")
        #expect(ok == [.integer(1), "pong", "ABC", true, .nil])
        #expect(throws: LuaError.self) { try state.register("crm.late") { _ in [] } }
    }
}
