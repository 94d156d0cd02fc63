import Foundation
import GRDB
import Testing
@testable import CRMKernel

/// A search sorted on a field other than id: a common term walks a declared index in sort order
/// and stops at the page; a rare term sorts its few matches. Both give the same records in the
/// same order.
struct SortedSearchTests {
    /// The fixture with a declared (city, employees descending, id) index.
    private static var declarations: SchemaDeclarations {
        Fixture.declarations { c in c.indexes = [["city", "-employees", "id"]] }
    }

    /// Every page of `search` in city 深圳 sorted by employees descending, then id.
    private func ids(_ s: TestStore, _ search: String, pageSize: Int = 50) throws -> [Int64] {
        var out: [Int64] = [], after: String? = nil
        repeat {
            let page = try s.store.find(Query("company", filter: .eq("city", .text("深圳")), search: search,
                                              sort: [SortKey("employees", descending: true)], limit: pageSize, after: after))
            out += page.records.map(\.id)
            after = page.nextCursor
        } while after != nil
        return out
    }

    private func plan(_ s: TestStore, _ search: String) throws -> String {
        try s.store.read { reader in
            try reader.explain(Query("company", filter: .eq("city", .text("深圳")), search: search,
                                     sort: [SortKey("employees", descending: true)], limit: 20))
        }
    }

    @Test func aDescendingColumnIsDeclaredWithAMinus() throws {
        let s = try TestStore(Self.declarations)
        let sql = try s.store.pool.read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = ?",
                                arguments: [StorageNames.compositeIndex("company", ["city", "-employees", "id"])])
        }
        #expect(sql?.contains("\"employees\" DESC") == true, "\(sql ?? "no index")")
        #expect(throws: KernelError.self) {
            _ = try SchemaBuilder.build([KernelEntities.declarations, Fixture.declarations { c in c.indexes = [["-nosuchfield"]] }])
        }
    }

    @Test func commonAndRareTermsGiveTheSortedMatchesEitherWay() throws {
        let s = try TestStore(Self.declarations)
        let common = RecordReader.sortedSearchWalkThreshold + 200
        var rows: [[String: Value]] = (0..<common).map { n in
            ["name": .text("星光科技\(n)"), "city": .text(n % 5 == 0 ? "北京" : "深圳"), "employees": .integer(Int64(n % 7 * 10))]
        }
        rows += (0..<30).map { n in ["name": .text("远山贸易\(n)"), "city": .text("深圳"), "employees": .integer(Int64(n % 4))] }
        let made = try s.store.bulkCreate("company", rows)
        #expect(made.created == rows.count)
        let all = try s.store.find(Query("company", limit: 10_000)).records
        for term in ["科技", "贸易"] {
            let expected = all.filter { ($0["name"].textValue ?? "").contains(term) && $0["city"] == .text("深圳") }
                .sorted { a, b in
                    let (x, y) = (a["employees"].integerValue ?? 0, b["employees"].integerValue ?? 0)
                    return x != y ? x > y : a.id < b.id
                }.map(\.id)
            #expect(try ids(s, term) == expected, "\(term)")
        }
        let walk = try plan(s, "科技")
        #expect(walk.contains("ixc_"), "a common term walks the declared index: \(walk)")
        #expect(!walk.contains("TEMP B-TREE"), "and sorts nothing: \(walk)")
        let sort = try plan(s, "贸易")
        #expect(sort.contains("TEMP B-TREE FOR ORDER BY"), "a rare term sorts its few matches: \(sort)")
    }
}
