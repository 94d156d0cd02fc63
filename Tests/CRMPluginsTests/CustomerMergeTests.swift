import CRMCustomers
import CRMKernel
import Foundation
import Testing

/// Merging two customers: every reference moves, the other is deleted, all of it audited.
struct CustomerMergeTests {
    struct Setup {
        let w: DuplicateFixture
        let user: ActingUser
        let keep: Record
        let other: Record
    }

    static func setUp() throws -> Setup {
        let w = try DuplicateFixture()
        let u = try w.store.create("user", ["name": .text("lina"), "role": .text("sales_manager")])
        let user = ActingUser(id: u.id, name: "lina", role: "sales_manager")
        try w.rules(["name": .value(.text("warn"))])
        let keep = try w.create("深圳华信科技有限公司", "13800138000", ["tags": .list(["重点客户"])])
        let other = try w.create("深圳华信科技", "0755-88881234", ["tags": .list(["华南区", "重点客户"]), "email": .text("info@huaxin.cn"),
                                                             "credit_code": .text("91440300MA5F0XXX1A")])
        try w.rules([:])
        let s = w.store
        try s.create("contact", ["customer": .integer(keep.id), "name": .text("张伟"), "is_primary": .bool(true)])
        try s.create("contact", ["customer": .integer(other.id), "name": .text("李娜"), "is_primary": .bool(true)])
        try s.create("contact", ["customer": .integer(other.id), "name": .text("王芳")])
        try s.create("followup", ["customer": .integer(other.id), "type": .text("电话"), "content": .text("初次沟通")])
        try s.create("task", ["customer": .integer(other.id), "title": .text("回访")])
        try s.create("opportunity", ["customer": .integer(other.id), "name": .text("华信采购项目")])
        return Setup(w: w, user: user, keep: keep, other: other)
    }

    static func merge(_ t: Setup, _ keep: Int64, _ other: Int64) throws {
        _ = try t.w.store.write(as: t.user) { tx in try CustomerMerge.merge(tx, keep: keep, other: other) }
    }

    @Test func mergeMovesEveryReferenceFillsEmptyFieldsUnitesTagsAndDeletesTheOther() throws {
        let t = try Self.setUp()
        let s = t.w.store
        #expect(t.other["duplicate_warning"] != .null)
        let kept = try s.write(as: t.user) { tx in try CustomerMerge.merge(tx, keep: t.keep.id, other: t.other.id) }
        #expect(kept["name"] == .text("深圳华信科技有限公司"))
        #expect(kept["phone"] == .text("13800138000"))
        #expect(kept["email"] == .text("info@huaxin.cn"))
        #expect(kept["credit_code"] == .text("91440300MA5F0XXX1A"))
        #expect(kept["tags"] == .list(["重点客户", "华南区"]))
        #expect(try s.get("customer", t.other.id) == nil)
        for entity in ["contact", "followup", "task", "opportunity"] {
            #expect(try s.count(entity, filter: .eq("customer", .integer(t.keep.id))) == (entity == "contact" ? 3 : 1), "\(entity)")
        }
        let primaries = try s.find(Query("contact", filter: .all([.eq("customer", .integer(t.keep.id)), .eq("is_primary", .bool(true))])))
        #expect(primaries.records.map { $0["name"] } == [.text("张伟")], "the kept customer keeps one primary contact")
    }

    @Test func mergeIsAuditedAsTheActingUserAndPublished() throws {
        let t = try Self.setUp()
        let s = t.w.store
        try s.write(as: t.user) { tx in _ = try CustomerMerge.merge(tx, keep: t.keep.id, other: t.other.id) }
        let history = try s.history("customer", t.keep.id)
        let merge = try #require(history.last { $0.action == "merge" })
        #expect(merge.userName == "lina")
        #expect(merge.changes.contains { $0.field == "merged_id" && $0.new == .integer(t.other.id) })
        #expect(merge.changes.contains { $0.field == "moved_opportunity" && $0.new == .integer(1) })
        #expect(history.contains { $0.action == "update" && $0.userName == "lina" && $0.changes.contains { $0.field == "email" } })
        #expect(try s.history("customer", t.other.id).last?.action == "delete")
        #expect(try s.history("customer", t.other.id).last?.userName == "lina")
        let opportunity = try #require(s.find(Query("opportunity")).records.first)
        let moved = try #require(s.history("opportunity", opportunity.id).last)
        #expect(moved.changes.first { $0.field == "customer" }?.old == .integer(t.other.id))
        #expect(try s.outbox(after: 0, limit: 1000).contains { $0.event == "customer.merged" && $0.recordID == t.keep.id })
    }

    @Test func mergingIntoItselfOrWithAMissingCustomerIsRefusedAndChangesNothing() throws {
        let t = try Self.setUp()
        let s = t.w.store
        let before = try s.outbox(after: 0, limit: 1000).count
        let itself = duplicateError { try Self.merge(t, t.keep.id, t.keep.id) }
        #expect(itself?.kind == .validation)
        #expect(itself?.message == "cannot merge customer \(t.keep.id) into itself")
        let missing = duplicateError { try Self.merge(t, t.keep.id, 4242) }
        #expect(missing?.kind == .notFound)
        #expect(missing?.message == "customer 4242 not found")
        #expect(duplicateError { try Self.merge(t, 4242, t.other.id) }?.kind == .notFound)
        #expect(try s.count("customer") == 2)
        #expect(try s.count("contact", filter: .eq("customer", .integer(t.other.id))) == 2)
        #expect(try s.outbox(after: 0, limit: 1000).count == before)
    }

    @Test func aMergeTheDuplicateRulesRefuseIsRolledBackWhole() throws {
        let t = try Self.setUp()
        let s = t.w.store
        // A third customer holds the credit code `other` would bring to `keep`.
        try t.w.rules(["credit_code": .value(.text("allow"))])
        let third = try t.w.create("第三家公司", "13600136000", ["credit_code": .text("91440300MA5F0XXX1A")])
        try t.w.rules([:])
        let error = duplicateError { try Self.merge(t, t.keep.id, t.other.id) }
        #expect(error?.kind == .conflict)
        #expect(error?.fieldErrors.first?.message == "与客户 #\(third.id) 第三家公司 重复（统一社会信用代码）")
        #expect(try s.get("customer", t.other.id) != nil)
        #expect(try s.count("contact", filter: .eq("customer", .integer(t.other.id))) == 2)
    }
}
