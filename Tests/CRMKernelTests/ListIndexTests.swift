import Foundation
import GRDB
import Testing
@testable import CRMKernel

/// Indexed list fields (tags, multiple choice) keep an item index that filters use.
struct ListIndexTests {
    /// The fixture with `tags` indexed.
    private static var indexed: SchemaDeclarations {
        Fixture.declarations { c in
            c.replaceField("tags", with: FieldDefinition("tags", .tags, label: LocalizedText("标签"), indexed: true, searchable: true))
        }
    }

    private func ids(_ s: TestStore, _ filter: Filter?, descending: Bool = false, pageSize: Int = 2) throws -> [Int64] {
        var out: [Int64] = [], after: String? = nil
        repeat {
            let page = try s.store.find(Query("company", filter: filter, sort: [SortKey("id", descending: descending)], limit: pageSize, after: after))
            out += page.records.map(\.id)
            after = page.nextCursor
        } while after != nil
        return out
    }

    private func has(_ tag: String) -> Filter { .condition(field: "tags", op: .contains, value: .text(tag)) }

    @Test func tagFiltersGiveTheSameAnswersWithAndWithoutTheIndex() throws {
        let plain = try TestStore(), indexed = try TestStore(Self.indexed)
        let sets: [[String]] = [["VIP"], ["VIP", "华南"], [], ["华南"], ["VIP", "老客户"], ["老客户", "华南"], ["VIP"]]
        for (i, tags) in sets.enumerated() {
            for s in [plain, indexed] {
                try s.store.create("company", ["name": .text("公司\(i)"), "tags": .list(tags), "city": .text(i % 2 == 0 ? "深圳" : "北京")])
            }
        }
        let filters: [Filter?] = [
            has("VIP"), .all([has("VIP"), has("华南")]), .any([has("老客户"), has("华南")]),
            .all([has("VIP"), .eq("city", .text("深圳"))]), .eq("tags", .text("华南")), .not(has("VIP")),
            .condition(field: "tags", op: .in, value: .list(["老客户", "无此标签"])), has("无此标签"),
        ]
        for filter in filters {
            for descending in [false, true] {
                let expected = try ids(plain, filter, descending: descending)
                #expect(try ids(indexed, filter, descending: descending) == expected, "\(String(describing: filter)) desc=\(descending)")
            }
        }
        #expect(try ids(indexed, has("VIP")) == [1, 2, 5, 7])
        #expect(try ids(indexed, .all([has("VIP"), has("华南")]), descending: true) == [2])
    }

    @Test func theIndexFollowsUpdatesDeletesAndLaterDeclarations() throws {
        let s = try TestStore()
        let a = try s.store.create("company", ["name": .text("甲"), "tags": .list(["VIP"])])
        let b = try s.store.create("company", ["name": .text("乙"), "tags": .list(["老客户"])])
        try s.configure(Self.indexed)   // declared indexed later: existing records are indexed
        #expect(try ids(s, has("VIP")) == [a.id])
        try s.store.update("company", b.id, ["tags": .list(["VIP", "老客户"])])
        try s.store.update("company", a.id, ["tags": .list([])])
        #expect(try ids(s, has("VIP")) == [b.id])
        try s.store.delete("company", b.id)
        #expect(try ids(s, has("VIP")) == [])
        let rows = try s.store.read { reader in try reader.count("company", filter: has("老客户")) }
        #expect(rows == 0)
        try s.configure(Fixture.declarations)   // no longer indexed: the side table goes
        let c = try s.store.create("company", ["name": .text("丙"), "tags": .list(["VIP"])])
        #expect(try ids(s, has("VIP")) == [c.id])
    }

    @Test func aTagFilteredPageIsReadFromTheItemIndex() throws {
        let s = try TestStore(Self.indexed)
        try s.store.create("company", ["name": .text("甲"), "tags": .list(["VIP"])])
        let plan = try s.store.read { reader in
            try reader.explain(Query("company", filter: .all([has("VIP"), .eq("city", .text("深圳")), has("华南")]),
                                     sort: [SortKey("id", descending: true)], limit: 20))
        }
        #expect(plan.contains("SEARCH _li USING PRIMARY KEY (_item=?)"), "\(plan)")
        #expect(!plan.contains("SCAN"), "no table scan: \(plan)")
        #expect(!plan.contains("TEMP B-TREE"), "no sorting, the index gives id order: \(plan)")
        #expect(!plan.contains("LIST SUBQUERY"), "the second tag is probed per row, not collected whole: \(plan)")
    }
}
