import Testing
@testable import CRMScripting

/// Value conversion, REPL and hot-path tests.
extension LuaRuntimeTests {
    @Test func valuesRoundTripIncludingNestedTablesNumbersAndChinese() throws {
        let state = LuaState()
        let identity = try state.load(source: "return ...", chunkName: "id.lua")
        let nested: LuaValue = .table(LuaTable(
            array: [1, 2.5, "张伟", .table(["deep": .table([true, false])])],
            fields: ["name": "张伟", "score": 99, "ratio": 0.25, "tags": .table(["vip", "北京"])],
            otherEntries: [.integer(100): "sparse", .number(1.5): "float key", .boolean(true): "yes"]))
        let values: [LuaValue] = [.nil, true, .integer(3), .number(3.0), .integer(Int64.min), "", "张伟", nested]
        let back = try state.call(identity, values)
        #expect(back == values)
        let types = try state.run(source: "return math.type(3), math.type(3.0), #'张伟', utf8.len('张伟')", chunkName: "t.lua")
        #expect(types == ["integer", "float", .integer(6), .integer(2)])
        try state.setGlobal("customer", nested)
        #expect(try state.global("customer") == nested)
    }

    @Test func cyclicTablesAreRefusedNotLooped() throws {
        let state = LuaState()
        #expect(throws: LuaError.self) { try state.run(source: "local t = {} t.self = t return t", chunkName: "c.lua") }
        #expect(try state.run(source: "return 1", chunkName: "ok.lua") == [1])
    }

    @Test func functionsCanBeStoredByHooksAndCalledLater() throws {
        let state = LuaState()
        let box = HookBox()
        try state.register("crm.on") { args in
            box.hooks[try args.string(0)] = try args.function(1)
            return []
        }
        _ = try state.run(source: """
            crm.on("customer.before_save", function(r)
              if r.email == nil then return false, "email required" end
              r.name = r.name:upper()
            end)
            """, chunkName: "hooks.lua")
        let hook = try #require(box.hooks["customer.before_save"])
        guard case .changed(let fields) = try state.call(hook, record: [("name", "ada"), ("email", "a@b.c"), ("age", 36)]) else {
            Issue.record("expected a record"); return
        }
        #expect(Dictionary(uniqueKeysWithValues: fields) == ["name": "ADA"], "only what the hook changed comes back")
        guard case .rejected(let reason) = try state.call(hook, record: [("name", "ada")]) else {
            Issue.record("expected a rejection"); return
        }
        #expect(reason == "email required")
        #expect(try state.call(hook, [.table(["name": "x", "email": "y"])]) == [])
    }

    @Test func replDetectsIncompleteInputAndEvaluatesExpressions() throws {
        let state = LuaState()
        #expect(state.isIncomplete(source: "function f()"))
        #expect(state.isIncomplete(source: "if x then"))
        #expect(!state.isIncomplete(source: "x = 1"))
        #expect(!state.isIncomplete(source: "x = = 1"))
        #expect(try state.evaluate(line: "x = 20") == [])
        #expect(try state.evaluate(line: "x + 1") == [21])
        #expect(try state.evaluate(line: "1, 'two'") == [1, "two"])
    }

    @Test func recordHookReturnsOnlyChangesAndStaysCheap() throws {
        let state = LuaState()
        let hook = try state.load(source: """
            return function(r)
              if r.amount < 0 then return false, "negative" end
              r.name = r.name
              r.score = r.score + 1
            end
            """, chunkName: "bench.lua")
        let validate = try #require(try state.call(hook).first?.functionValue)
        let record: [(String, LuaValue)] = [
            ("id", 1), ("name", "张伟"), ("email", "zhang.wei@example.com"), ("phone", "+86 10 1234 5678"),
            ("city", "北京"), ("amount", 1200), ("score", 7), ("status", "active"), ("owner", "li.na"), ("region", "north"),
        ]
        let iterations = 20_000
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for _ in 0..<iterations { _ = try state.call(validate, record: record) }
        }
        let micros = Double(elapsed.components.attoseconds / 1_000_000_000_000 + elapsed.components.seconds * 1_000_000) / Double(iterations)
        print("record hook call (debug build): \(micros) µs per call")
        guard case .changed(let changes) = try state.call(validate, record: record) else { Issue.record("expected changes"); return }
        #expect(changes.map(\.0) == ["score"] && changes.first?.1 == 8, "a reassigned equal value is no change; the new score is")
        #expect(micros < 1000, "a record hook call stays far below a millisecond even in a debug build")
    }

    @Test func recordHookReportsAStringChangedOnlyWhenItsBytesDiffer() throws {
        let state = LuaState()
        let hook = try state.load(source: """
            return function(r)
              r.same = "深圳" .. ""
              r.equal_length = "abd"
              r.emptied = ""
              r.filled = "x"
              r.still_empty = ""
              r.longer = r.longer .. "!"
              r.prefix = "ab"
              r.nul = "a\\0c"
              r.nul_same = "a\\0b"
            end
            """, chunkName: "strings.lua")
        let fn = try #require(try state.call(hook).first?.functionValue)
        let record: [(String, LuaValue)] = [
            ("same", "深圳"), ("equal_length", "abc"), ("emptied", "text"), ("filled", ""), ("still_empty", ""),
            ("longer", "长文本"), ("prefix", "abc"), ("nul", "a\0b"), ("nul_same", "a\0b"), ("untouched", "不变"),
        ]
        guard case .changed(let changes) = try state.call(fn, record: record) else { Issue.record("expected changes"); return }
        let changed = Dictionary(uniqueKeysWithValues: changes)
        #expect(Set(changed.keys) == ["equal_length", "emptied", "filled", "longer", "prefix", "nul"])
        #expect(changed["equal_length"] == "abd" && changed["emptied"] == "" && changed["filled"] == "x" && changed["longer"] == "长文本!")
    }
}

final class HookBox { var hooks: [String: LuaFunctionRef] = [:] }
