import Testing
@testable import CRMScripting

/// Instruction budgets and wall-clock limits: per call, or shared by calls with `withBudget`.
struct LuaBudgetTests {
    /// A function burning about a million instructions per call.
    private func spinner(_ state: LuaState) throws -> LuaFunctionRef {
        let chunk = try state.load(source: """
            return function()
              local n = 0
              for i = 1, 500000 do n = n + i end
              return n
            end
            """, chunkName: "spin.lua")
        guard case .function(let f)? = try state.call(chunk).first else { throw LuaError.script("no function") }
        return f
    }

    @Test func withoutABudgetEachCallStartsAfresh() throws {
        let state = LuaState(limits: LuaLimits(instructionBudget: 3_000_000))
        let spin = try spinner(state)
        for _ in 0..<20 { _ = try state.call(spin) }
    }

    @Test func callsInsideABudgetShareIt() throws {
        let state = LuaState(limits: LuaLimits(instructionBudget: 3_000_000))
        let spin = try spinner(state)
        var budget = LuaBudget(instructions: 5_000_000)
        var completed = 0
        var failure: LuaError?
        state.withBudget(&budget) {
            for _ in 0..<20 {
                do { _ = try state.call(spin); completed += 1 } catch { failure = error as? LuaError; return }
            }
        }
        #expect(completed >= 3 && completed <= 5)
        guard case .instructionLimitExceeded(let limit, let chunk, let line)? = failure else {
            Issue.record("expected the instruction limit, got \(String(describing: failure))")
            return
        }
        #expect(limit == 5_000_000)
        #expect(chunk == "spin.lua" && line == 3)
        #expect(budget.exhausted)
        #expect(budget.used > 5_000_000)
        // A later call of the same budget fails at once; outside it, calls work again.
        #expect(throws: LuaError.self) { try state.withBudget(&budget) { try state.call(spin) } }
        _ = try state.call(spin)
    }

    @Test func theWallClockLimitStopsALoopWithItsLocation() throws {
        let state = LuaState(limits: LuaLimits(instructionBudget: Int.max / 2, timeLimit: 0.2))
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try state.run(source: "local x = 0\nwhile true do x = x + 1 end", chunkName: "forever.lua")
            Issue.record("expected the time limit")
        } catch {
            guard case .timeLimitExceeded(let seconds, let chunk, let line) = error else {
                Issue.record("expected the time limit, got \(error)")
                return
            }
            #expect(seconds == 0.2 && chunk == "forever.lua" && line == 2)
            #expect(error.description == "forever.lua:2: time limit exceeded (0.2 seconds)")
        }
        #expect(clock.now - start < .seconds(2))
        // pcall cannot swallow it either.
        #expect(throws: LuaError.self) {
            try state.run(source: "while true do pcall(function() while true do end end) end", chunkName: "p.lua")
        }
        #expect(try state.run(source: "return 1", chunkName: "after.lua") == [.integer(1)])
    }

    @Test func aPassedDeadlineFailsTheNextCallAtOnce() throws {
        let state = LuaState()
        let spin = try spinner(state)
        var budget = LuaBudget(instructions: Int.max / 2, deadline: ContinuousClock.now.advanced(by: .milliseconds(-1)), seconds: 1)
        #expect(throws: LuaError.timeLimitExceeded(seconds: 1)) { try state.withBudget(&budget) { try state.call(spin) } }
        #expect(budget.exhausted)
    }
}
