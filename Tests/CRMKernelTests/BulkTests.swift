import Foundation
import Testing
@testable import CRMKernel

struct BulkTests {
    private func rows(_ n: Int, bad: Set<Int> = []) -> [[String: Value]] {
        (0..<n).map { k in
            bad.contains(k) ? ["name": t("bad \(k)"), "employees": t("many")] : ["name": t("row \(k)"), "employees": i(Int64(k))]
        }
    }

    @Test func createsInBatches() throws {
        let s = try TestStore()
        var progress: [Int] = []
        let result = try s.store.bulkCreate("company", rows(25), options: BulkOptions(batchSize: 10)) { progress.append($0) }
        #expect(result.created == 25)
        #expect(result.batches == 3)
        #expect(result.failures.isEmpty)
        #expect(progress == [10, 20, 25])
        #expect(try s.store.count("company") == 25)
        let page = try s.store.find(Query("company", sort: [SortKey("employees")]))
        #expect(page.records.map { $0["employees"] } == (0..<25).map { i(Int64($0)) })
        #expect(page.records.allSatisfy { $0["stage"] == t("lead") })
        #expect(BulkOptions(batchSize: 0).batchSize == 1)
    }

    /// A bulk write checkpoints every `CheckpointPages.bulk` pages of log, then as before; a
    /// server's background checkpoints (automatic ones off) stay off.
    @Test func bulkWritesCheckpointLessOftenThenAsBefore() throws {
        let s = try TestStore()
        func interval() throws -> Int { try s.store.pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") ?? -1 } }
        #expect(try interval() == 1000)
        var during: [Int] = []
        _ = try s.store.bulkCreate("company", rows(4), options: BulkOptions(batchSize: 2)) { _ in during.append((try? interval()) ?? -1) }
        #expect(during == [CheckpointPages.bulk, CheckpointPages.bulk])
        #expect(try interval() == 1000)
        // A bulk write stopped by an error ends the same way.
        #expect(throws: KernelError.self) { try s.store.bulkCreate("company", rows(3, bad: [1]), options: BulkOptions(stopOnError: true)) }
        #expect(try interval() == 1000)
        // Bulk writes under way at once keep the raised interval until the last one ends.
        let (inner, outer) = try s.store.bulkWriting { (try s.store.bulkWriting { try interval() }, try interval()) }
        #expect(inner == CheckpointPages.bulk && outer == CheckpointPages.bulk)
        #expect(try interval() == 1000)
        try s.store.setAutomaticCheckpoints(false)
        #expect(try s.store.bulkWriting { try interval() } == 0)
        #expect(try interval() == 0)
        try s.store.setAutomaticCheckpoints(true)
        #expect(try interval() == 1000)
    }

    @Test func badRowsAreReportedWithTheirIndexAndSkipped() throws {
        let s = try TestStore()
        let input = rows(12, bad: [0, 5, 11]) + [["name": t("dup"), "code": t("ABC-1")], ["name": t("dup"), "code": t("ABC-1")]]
        let result = try s.store.bulkCreate("company", input, options: BulkOptions(batchSize: 4))
        #expect(result.created == 10)
        #expect(result.batches == 4)
        #expect(result.failures.map(\.index) == [0, 5, 11, 13])
        #expect(result.failures.prefix(3).allSatisfy { $0.error.fieldErrors.map(\.field) == ["employees"] && $0.error.entity == "company" })
        #expect(result.failures[3].error.fieldErrors.map(\.field) == ["code"])
        #expect(try s.store.count("company") == 10)
        #expect(try s.store.count("company", filter: .condition(field: "name", op: .startsWith, value: t("bad"))) == 0)
    }

    @Test func stopOnErrorKeepsOnlyEarlierBatches() throws {
        let s = try TestStore()
        let events = Recorder<Int64>()
        var hooks = HookSet()
        hooks.on("company.after_create") { events.append($0.recordID!) }
        try s.configure(Fixture.declarations, hooks: hooks)
        let e = try #require(kernelError {
            _ = try s.store.bulkCreate("company", rows(20, bad: [7]), options: BulkOptions(batchSize: 5, stopOnError: true))
        })
        #expect(e.kind == .validation)
        #expect(e.fieldErrors.map(\.field) == ["employees"])
        #expect(e.message.contains("record 8"))
        #expect(e.message.contains("5 records"))
        #expect(try s.store.count("company") == 5)
        let kept = try s.store.find(Query("company", sort: [SortKey("employees")])).records
        #expect(kept.map { $0["employees"] } == (0..<5).map { i(Int64($0)) })
        #expect(events.all.count == 5)
        #expect(try s.store.outbox(after: 0).count == 5)
    }

    @Test func bulkWritesRunHooksAuditSearchAndEvents() throws {
        var hooks = HookSet()
        hooks.onBeforeSave("company") { ctx in
            if case .text(let n) = ctx.values["name"] ?? .null { ctx.values["city"] = .text(n.hasPrefix("深") ? "深圳" : "其他") }
            if ctx.values["employees"] == .integer(3) { ctx.reject("employees", "three is unlucky") }
        }
        let events = Recorder<String>()
        hooks.on("*") { events.append($0.name) }
        let s = try TestStore(hooks: hooks)
        let result = try s.store.bulkCreate("company", [
            ["name": t("深圳华信"), "employees": i(1)], ["name": t("北京科技"), "employees": i(3)], ["name": t("深圳腾达"), "employees": i(2)],
        ])
        #expect(result.created == 2)
        #expect(result.failures.map(\.index) == [1])
        #expect(result.failures[0].error.fieldErrors == [FieldError(field: "employees", message: "three is unlucky")])
        #expect(try s.store.count("company", search: "深圳") == 2)
        #expect(try s.store.count("company", filter: .eq("city", t("深圳"))) == 2)
        let ids = try s.store.find(Query("company")).records.map(\.id)
        #expect(try ids.allSatisfy { try s.store.history("company", $0).map(\.action) == ["create"] })
        #expect(events.all == ["company.after_create", "company.after_create"])
    }

    /// A refused row rolls back what its hooks wrote, and no event is delivered for it.
    @Test func aRefusedRowTakesItsHookWritesAndEventsWithIt() throws {
        let (s, events) = try TestStore.withContactWritingHook()
        let result = try s.store.bulkCreate("company", [["name": t("A")], ["name": t("B"), "parent": i(999)], ["name": t("C")]])
        #expect(result.created == 2)
        #expect(result.failures.map(\.index) == [1])
        let contacts = try s.store.find(Query("contact", sort: [SortKey("name")])).records.map { $0["name"] }
        #expect(contacts == [t("for A"), t("for C")])
        let delivered = events.all
        #expect(delivered.map(\.name) == ["contact.after_create", "company.after_create", "contact.after_create", "company.after_create"])
        #expect(Set(delivered.map(\.seq)).count == delivered.count)
        let outbox = try s.store.outbox(after: 0)
        #expect(outbox.map(\.seq) == delivered.map(\.seq))
        #expect(!delivered.contains { $0.payload["name"] == t("for B") })
    }

    @Test func unknownEntityIsRefusedBeforeAnyWrite() throws {
        let s = try TestStore()
        #expect(kernelError { _ = try s.store.bulkCreate("ghost", rows(3)) }?.kind == .notFound)
        let empty = try s.store.bulkCreate("company", [])
        #expect(empty.created == 0)
        #expect(empty.batches == 0)
    }
}
