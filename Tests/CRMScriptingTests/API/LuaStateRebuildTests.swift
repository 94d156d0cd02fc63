import CRMKernel
@testable import CRMScripting
import Foundation
import Testing

/// A Lua state that hit its memory limit is rebuilt by the next call, with the pack's
/// declarations and hooks in force again, instead of leaving scripting dead.
struct LuaStateRebuildTests {
    private static let bomb = "local t = {} for i = 1, 1e9 do t[i] = ('x'):rep(1000) .. i end"

    private func fixture() throws -> ScriptFixture {
        let f = try ScriptFixture(["10.lua": """
            crm.on("team.before_save", function(t)
              if t.name == "bomb" then \(Self.bomb) end
              t.name = t.name .. "!"
            end)
            """])
        try f.workspace.store.setSetting("lua.memory_limit_mb", "16")
        return f
    }

    @Test func aHookThatRanOutOfMemoryFailsItsWriteAndTheNextWriteWorks() throws {
        let f = try fixture()
        defer { f.cleanUp() }
        let host = try f.host()
        let before = host.engine.locked { host.engine.state.id }
        do {
            try f.workspace.store.create("team", ["name": .text("bomb")])
            Issue.record("expected the memory limit")
        } catch let error as KernelError {
            #expect(error.kind == .scriptFailed)
            #expect(error.message.contains("memory limit exceeded"))
        }
        #expect(!host.engine.locked { host.engine.state.isUsable })
        let team = try f.workspace.store.create("team", ["name": .text("north")])
        #expect(team["name"] == .text("north!"))
        #expect(host.engine.locked { host.engine.state.id } != before)
        // And again: every memory error is followed by a working state.
        #expect(throws: KernelError.self) { try f.workspace.store.create("team", ["name": .text("bomb")]) }
        #expect(try f.workspace.store.create("team", ["name": .text("south")])["name"] == .text("south!"))
        #expect(try f.workspace.store.count("team") == 2)
    }

    @Test func aConsoleLineThatRanOutOfMemoryLeavesAWorkingConsole() throws {
        let f = try fixture()
        defer { f.cleanUp() }
        let (console, _) = try f.console()
        let failed = console.evaluate(Self.bomb)
        #expect(failed.error?.contains("memory limit exceeded") == true, "\(String(describing: failed.error))")
        let next = console.evaluate("return crm.create('team', {name = 'east'}).name")
        #expect(next.error == nil)
        #expect(next.output.contains("east!"))
        // The rebuilt state is locked like the first one.
        #expect(console.evaluate("string.upper = nil").error?.contains("read-only") == true)
    }
}
