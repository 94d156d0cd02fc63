import CRMKernel
@testable import CRMScripting
import Foundation
import Testing

/// One instruction budget and wall clock per request or bulk write, shared by the hooks of
/// every record, instead of one per hook call.
struct ScriptBudgetTests {
    /// A team hook burning about `instructions` per record (default budget per call: 10M).
    private func fixture(instructions: Int = 2_000_000) throws -> ScriptFixture {
        try ScriptFixture(["10.lua": """
            crm.on("team.before_save", function(t)
              local n = 0
              for i = 1, \(instructions / 2) do n = n + i end
              t.name = t.name .. "!"
            end)
            """])
    }

    private func teams(_ count: Int) -> [[String: Value]] {
        (0..<count).map { ["name": .text("team \($0)")] }
    }

    @Test func aBulkCreateSharesOneBudgetAndStopsQuicklyWhenItRunsOut() throws {
        let f = try fixture()
        defer { f.cleanUp() }
        _ = try f.host()
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try f.workspace.store.bulkCreate("team", teams(1000),
                                                 options: BulkOptions(scriptBudget: ScriptBudget(.bulk, instructions: 20_000_000)))
            Issue.record("expected the shared budget to run out")
        } catch let error as KernelError {
            #expect(error.kind == .scriptFailed)
            #expect(error.message.contains("scripts/10.lua:3: instruction limit exceeded (20000000 instructions)"), "\(error.message)")
        }
        #expect(clock.now - start < .seconds(5))
        // The batch in flight rolled back whole.
        #expect(try f.workspace.store.count("team") == 0)
    }

    @Test func aBulkCreateWithinItsBudgetWorks() throws {
        let f = try fixture(instructions: 10_000)
        defer { f.cleanUp() }
        _ = try f.host()
        let result = try f.workspace.store.bulkCreate("team", teams(300), options: BulkOptions(batchSize: 100))
        #expect(result.created == 300 && result.failures.isEmpty)
        #expect(try f.workspace.store.count("team", filter: .eq("name", .text("team 7!"))) == 1)
    }

    @Test func theWallClockOfABulkCreateIsShared() throws {
        let f = try fixture()
        defer { f.cleanUp() }
        _ = try f.host()
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try f.workspace.store.bulkCreate("team", teams(1000),
                                                 options: BulkOptions(scriptBudget: ScriptBudget(.bulk, instructions: Int.max / 2, seconds: 0.3)))
            Issue.record("expected the time limit")
        } catch let error as KernelError {
            #expect(error.message.contains("time limit exceeded (0.3 seconds)"), "\(error.message)")
        }
        #expect(clock.now - start < .seconds(3))
        #expect(try f.workspace.store.count("team") == 0)
    }

    @Test func singleWritesInOneRequestScopeShareItsBudget() throws {
        let f = try fixture()
        defer { f.cleanUp() }
        let host = try f.host()
        var created = 0
        do {
            try host.engine.withBudget(instructions: 7_000_000) {
                for name in ["a", "b", "c", "d", "e"] {
                    try f.workspace.store.create("team", ["name": .text(name)])
                    created += 1
                }
            }
            Issue.record("expected the request budget to run out")
        } catch let error as KernelError {
            #expect(error.message.contains("instruction limit exceeded (7000000 instructions)"))
        }
        #expect(created == 3)
        // A new scope (the next request) has a budget of its own.
        try host.engine.withBudget { try f.workspace.store.create("team", ["name": .text("f")]) }
        #expect(try f.workspace.store.count("team") == 4)
    }

    @Test func aConsoleLineHasOneBudgetForEveryHookItCauses() throws {
        let f = try fixture()
        defer { f.cleanUp() }
        try f.workspace.store.setSetting("lua.instruction_budget", "7000000")
        let (console, _) = try f.console()
        let result = console.evaluate("for i = 1, 10 do crm.create('team', {name = 'x' .. i}) end")
        #expect(result.error?.contains("instruction limit exceeded") == true, "\(String(describing: result.error))")
        // Each crm.create commits on its own; the fourth hook found the line's budget spent.
        #expect(try f.workspace.store.count("team") == 3)
        #expect(console.evaluate("crm.create('team', {name = 'ok'})").error == nil)
    }
}
