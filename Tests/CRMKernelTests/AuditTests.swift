import Foundation
import Testing
@testable import CRMKernel

struct AuditTests {
    private func change(_ entry: AuditEntry, _ field: String) -> AuditEntry.Change? {
        entry.changes.first { $0.field == field }
    }

    @Test func createUpdateAndDeleteAreRecordedWithOldAndNewValuesAndWho() throws {
        let s = try TestStore()
        let alice = try s.makeUser("alice")
        let bob = try s.makeUser("bob")
        let a = try s.store.create("company", ["name": t("华信"), "employees": i(10), "revenue": d("99.90"),
                                               "tags": .list(["vip"]), "contacted_at": t("2026-01-02T03:04:05Z")], as: alice)
        try s.store.update("company", a.id, ["employees": i(12), "revenue": d("100"), "active": .bool(false), "city": t("深圳")], as: bob)
        try s.store.delete("company", a.id, as: alice)

        let history = try s.store.history("company", a.id)
        #expect(history.map(\.action) == ["create", "update", "delete"])
        #expect(history.map(\.userID) == [alice.id, bob.id, alice.id])
        #expect(history.map(\.userName) == ["alice", "bob", "alice"])
        #expect(history.allSatisfy { $0.entity == "company" && $0.recordID == a.id })
        #expect(history.map(\.id) == history.map(\.id).sorted())

        let create = history[0]
        #expect(create.changes.map(\.field) == ["active", "contacted_at", "employees", "name", "owner", "revenue", "stage", "tags"])
        #expect(create.changes.allSatisfy { $0.old == .null })
        #expect(change(create, "name")?.new == t("华信"))
        #expect(change(create, "revenue")?.new == d("99.9"))
        #expect(change(create, "owner")?.new == i(alice.id!))
        #expect(change(create, "tags")?.new == .list(["vip"]))
        #expect(change(create, "active")?.new == .bool(true))
        #expect(change(create, "contacted_at")?.new == .datetime(DateCoding.parseInstant("2026-01-02T03:04:05Z")!))
        #expect(change(create, "created_at") == nil)

        let update = history[1]
        #expect(update.changes.map(\.field) == ["active", "city", "employees", "revenue"])
        #expect(change(update, "employees").map { [$0.old, $0.new] } == [i(10), i(12)])
        #expect(change(update, "revenue").map { [$0.old, $0.new] } == [d("99.90"), d("100")])
        #expect(change(update, "active").map { [$0.old, $0.new] } == [.bool(true), .bool(false)])
        #expect(change(update, "city").map { [$0.old, $0.new] } == [.null, t("深圳")])

        let delete = history[2]
        #expect(delete.changes.allSatisfy { $0.new == .null })
        #expect(change(delete, "employees")?.old == i(12))
        #expect(change(delete, "city")?.old == t("深圳"))
        #expect(change(delete, "updated_by") == nil)
        #expect(Date().timeIntervalSince(delete.at) < 60)
    }

    @Test func systemWritesAreAttributedToTheSystem() throws {
        let s = try TestStore()
        let a = try s.store.create("company", ["name": t("A")])
        let entry = try #require(try s.store.history("company", a.id).first)
        #expect(entry.userID == nil)
        #expect(entry.userName == "system")
    }

    @Test func unchangedUpdatesAndRolledBackWritesLeaveNoEntry() throws {
        let s = try TestStore()
        let a = try s.store.create("company", ["name": t("A"), "employees": i(5)])
        try s.store.update("company", a.id, ["employees": t("5"), "name": t("A")])
        #expect(try s.store.history("company", a.id).count == 1)
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try s.store.write(as: .system) { tx -> Void in
                try tx.update("company", a.id, ["employees": i(6)])
                throw Boom()
            }
        }
        #expect(kernelError { try s.store.update("company", a.id, ["employees": i(-6)]) } != nil)
        #expect(try s.store.history("company", a.id).count == 1)
    }

    @Test func domainActionsAreAuditedAlongsideWrites() throws {
        let s = try TestStore()
        let a = try s.store.create("company", ["name": t("A")])
        let b = try s.store.create("company", ["name": t("B")])
        try s.store.write(as: .system) { tx in
            try tx.audit("merge", entity: "company", recordID: a.id, changes: [("merged_from", .null, .integer(b.id))])
            try tx.delete("company", b.id)
        }
        let history = try s.store.history("company", a.id)
        #expect(history.map(\.action) == ["create", "merge"])
        #expect(history[1].changes.map(\.field) == ["merged_from"])
        #expect(history[1].changes[0].new == i(b.id))
        #expect(try s.store.history("company", b.id).map(\.action) == ["create", "delete"])
        #expect(try s.store.history("company", 999).isEmpty)
    }
}
