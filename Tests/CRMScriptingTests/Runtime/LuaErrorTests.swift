import Testing
@testable import CRMScripting

/// Error reporting tests.
extension LuaRuntimeTests {
    @Test func syntaxErrorReportsChunkNameAndLine() {
        let state = LuaState()
        do {
            _ = try state.load(source: "local x = 1\nlocal y = = 2\n", chunkName: "rules/discount.lua")
            Issue.record("expected a syntax error")
        } catch {
            guard case .syntax(let chunk, let line, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(chunk == "rules/discount.lua")
            #expect(line == 2)
            #expect(error.description.hasPrefix("rules/discount.lua:2: "))
        }
    }

    @Test func runtimeErrorReportsFileLineAndTraceback() {
        let state = LuaState()
        do {
            _ = try state.run(source: "local t = nil\n\nreturn t.x", chunkName: "orders.lua")
            Issue.record("expected a runtime error")
        } catch {
            guard case .runtime(let message, let chunk, let line, let traceback) = error else {
                Issue.record("wrong error \(error)"); return
            }
            #expect(chunk == "orders.lua")
            #expect(line == 3)
            #expect(message.contains("attempt to index a nil value"))
            #expect(traceback?.contains("stack traceback") == true)
            #expect(error.description.hasPrefix("orders.lua:3: attempt to index"))
        }
    }

    @Test func swiftFunctionErrorIsCatchableByPcallWithFileLine() throws {
        struct Refused: Error, CustomStringConvertible { var description: String { "customer is locked" } }
        let state = LuaState()
        try state.register("crm.customers.claim") { _ in throw Refused() }
        try state.register("crm.create") { args in
            let entity = try args.string(0)
            let fields = try args.table(1)
            return [.string("\(entity):\(fields["name"].stringValue ?? "?")")]
        }
        let results = try state.run(source: """
            local ok, err = pcall(crm.customers.claim, 42)
            local ok2, err2 = pcall(function()
              return crm.create("customer")
            end)
            return ok, err, ok2, err2, crm.create("customer", { name = "张伟" })
            """, chunkName: "claims.lua")
        #expect(results == [false, "claims.lua:1: customer is locked",
                            false, "claims.lua:3: bad argument #2 to 'crm.create' (table expected, got nil)",
                            "customer:张伟"])
        // Uncaught, the error surfaces as a located runtime error.
        do {
            _ = try state.run(source: "\ncrm.customers.claim()", chunkName: "x.lua")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "x.lua:2: customer is locked")
            #expect(error.line == 2)
        }
    }

    @Test func requireLoadsPackModulesAndReportsCycles() throws {
        let state = LuaState()
        let modules = [
            "util": "local M = {} function M.double(x) return x * 2 end return M",
            "a": "require('b') return {}",
            "b": "require('a') return {}",
        ]
        state.moduleSource = { name in modules[name].map { ($0, "\(name).lua") } }
        let results = try state.run(source: "local u = require('util') return u.double(21), require('util') == u", chunkName: "main.lua")
        #expect(results == [.integer(42), true])
        do {
            _ = try state.run(source: "require('a')", chunkName: "main.lua")
            Issue.record("expected a cycle error")
        } catch {
            #expect(error.description.contains("require cycle detected: a -> b -> a"))
            #expect(error.chunk == "b.lua")
        }
    }

    @Test func printGoesToTheHandler() throws {
        let state = LuaState()
        let box = Box()
        state.printHandler = { box.lines.append($0) }
        _ = try state.run(source: "print('hi', 1, nil, true)", chunkName: "p.lua")
        #expect(box.lines == ["hi\t1\tnil\ttrue"])
    }
}

final class Box { var lines: [String] = [] }

