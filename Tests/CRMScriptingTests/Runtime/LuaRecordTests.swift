import Testing
@testable import CRMScripting

/// The lazy record a record hook gets (`LuaState.call(_:record:)`): fields fetched when read,
/// changes and removals read back exactly, `pairs` and Swift functions seeing every field.
extension LuaRuntimeTests {
    /// A record source that counts the fields converted for the hook.
    final class CountingRecord: LuaRecordSource {
        let pairs: LuaRecordPairs
        var fetched: [String] = []
        init(_ pairs: [(String, LuaValue)]) { self.pairs = LuaRecordPairs(pairs) }
        func luaValue(of field: String) -> LuaValue? {
            fetched.append(field)
            return pairs.luaValue(of: field)
        }
        var luaFieldNames: [String] { pairs.luaFieldNames }
    }

    private func hook(_ state: LuaState, _ body: String) throws -> LuaFunctionRef {
        let chunk = try state.load(source: "return function(r)\n\(body)\nend", chunkName: "hook.lua")
        return try #require(try state.call(chunk).first?.functionValue)
    }

    private func changes(_ outcome: LuaRecordOutcome) -> [String: LuaValue] {
        guard case .changed(let fields) = outcome else { Issue.record("expected changes, got \(outcome)"); return [:] }
        return Dictionary(fields, uniquingKeysWith: { _, last in last })
    }

    @Test func aHookConvertsOnlyTheFieldsItReads() throws {
        let state = LuaState()
        let fn = try hook(state, "r.phone = r.phone:gsub(' ', '')")
        let record = CountingRecord(customer)
        #expect(changes(try state.call(fn, record: record)) == ["phone": "13800138000"])
        #expect(Set(record.fetched) == ["phone"], "reading one field converts one field (and compares it back)")
    }

    @Test func removalsAreReadBackWhetherOrNotTheFieldWasReadFirst() throws {
        let state = LuaState()
        let fn = try hook(state, """
            local before = r.city
            r.city = nil
            r.name = nil
            assert(r.city == nil and r.name == nil, "a removed field stays removed")
            r.score = nil
            r.score = 4
            r.missing = nil
            r.empty = nil
            return before == "深圳"
            """)
        #expect(changes(try state.call(fn, record: customer)) == ["city": .nil, "name": .nil, "score": 4])
    }

    @Test func addedFieldsAndUnchangedRewritesAreTold() throws {
        let state = LuaState()
        let fn = try hook(state, """
            r.name = r.name .. ""
            r.tags = { "重点", "华南" }
            r.note = "新"
            r[1] = "not a field"
            """)
        #expect(changes(try state.call(fn, record: customer)) == ["note": "新"], "equal values and array keys are no change")
        let reorder = try hook(state, "r.tags = { r.tags[2], r.tags[1] }")
        #expect(changes(try state.call(reorder, record: customer)) == ["tags": .table(LuaTable(array: ["华南", "重点"]))])
    }

    @Test func pairsAndSwiftFunctionsSeeTheWholeRecord() throws {
        let state = LuaState()
        let box = SeenBox()
        try state.register("crm.seen") { args in
            box.value = try args.value(0)
            return []
        }
        let fn = try hook(state, """
            local names = {}
            for k in pairs(r) do names[#names + 1] = k end
            table.sort(names)
            r.fields = table.concat(names, ",")
            crm.seen(r)
            """)
        let out = changes(try state.call(fn, record: customer))
        #expect(out == ["fields": "city,id,name,phone,score,tags"], "pairs visits every field with a value, once")
        let direct = try hook(state, "r.name = nil crm.seen(r)")
        _ = try state.call(direct, record: customer)
        guard case .table(let seen)? = box.value else { Issue.record("crm.seen got no table"); return }
        #expect(Set(seen.fields.keys) == ["id", "phone", "city", "score", "tags"], "a Swift function gets every field not removed")
    }

    @Test func replacementTablesAndRejectionsWorkAsBefore() throws {
        let state = LuaState()
        let replace = try hook(state, "return { name = r.name, phone = '1', extra = true }")
        #expect(changes(try state.call(replace, record: customer))
            == ["phone": "1", "extra": true, "id": .nil, "city": .nil, "score": .nil, "tags": .nil])
        let copy = try hook(state, "local t = {} for k, v in pairs(r) do t[k] = v end t.score = 9 return t")
        #expect(changes(try state.call(copy, record: customer)) == ["score": 9])
        let reject = try hook(state, "if r.score < 5 then return false, '分数太低' end")
        guard case .rejected(let reason) = try state.call(reject, record: customer) else { Issue.record("expected a rejection"); return }
        #expect(reason == "分数太低")
    }

    @Test func aRecordKeptPastItsCallCannotBeReadAndItsMetatableIsProtected() throws {
        let state = LuaState()
        let keep = try hook(state, "kept = r")
        _ = try state.call(keep, record: customer)
        let read = try state.load(source: "return kept.name", chunkName: "later.lua")
        #expect(throws: LuaError.self) { try state.call(read) }
        do { _ = try state.call(read) } catch {
            #expect("\(error)".contains("later.lua:1:") && "\(error)".contains("hook call that has returned"))
        }
        let swap = try hook(state, "setmetatable(r, nil)")
        #expect(throws: LuaError.self) { try state.call(swap, record: customer) }
        let meta = try hook(state, "r.meta = getmetatable(r)")
        #expect(changes(try state.call(meta, record: customer)) == ["meta": "record"])
    }

    @Test func nestedRecordHooksKeepTheirOwnRecords() throws {
        let state = LuaState()
        let inner = try hook(state, "r.name = 'inner ' .. r.name")
        let box = SeenBox()
        try state.register("crm.nested") { _ in
            let outcome = try state.call(inner, record: [("name", "乙")])
            guard case .changed(let fields) = outcome else { return [] }
            box.value = fields.first?.1
            return []
        }
        let outer = try hook(state, "local name = r.name crm.nested() r.name = name .. '!' r.after = r.city")
        #expect(changes(try state.call(outer, record: customer)) == ["name": "深圳华信!", "after": "深圳"])
        #expect(box.value == "inner 乙")
    }

    @Test func rawsetMarksARecordFieldAsWritten() throws {
        let state = LuaState()
        let fn = try hook(state, "rawset(r, 'city', nil) rawset(r, 'name', 'x')")
        #expect(changes(try state.call(fn, record: customer)) == ["city": .nil, "name": "x"])
    }
}

final class SeenBox { var value: LuaValue? }

/// The record the lazy-record tests hand their hooks (`empty` has no value).
private let customer: [(String, LuaValue)] = [
    ("id", 7), ("name", "深圳华信"), ("phone", "138 0013 8000"), ("city", "深圳"), ("score", 3),
    ("tags", .table(LuaTable(array: ["重点", "华南"]))), ("empty", .nil),
]
