import Foundation
import GRDB
import Testing
@testable import CRMKernel

/// The full-text index kept in one table per 65,536 record ids (`SearchIndex+Shards.swift`):
/// searches, counts and pages read every shard, writes go to the record's own shard.
struct SearchShardTests {
    /// A store with companies 华南0号公司… in shard 0, then in shards 1 and 2 (ids around
    /// 131,072) and in shard 4 (shard 3 exists, empty): ids newest first. (A search's default
    /// order is oldest first.)
    private func spread() throws -> (TestStore, [Int64]) {
        let s = try TestStore()
        var ids: [Int64] = []
        func create(_ n: Int) throws {
            for _ in 0..<n { ids.append(try s.store.create("company", ["name": t("华南\(ids.count)号公司"), "city": t("深圳")]).id) }
        }
        func jump(to next: Int64) throws {
            try s.store.pool.write { db in try db.execute(sql: "UPDATE sqlite_sequence SET seq = ? WHERE name = 'e_company'", arguments: [next - 1]) }
        }
        try create(3)
        try jump(to: 2 * 65_536 - 2)
        try create(4)  // 131070, 131071 in shard 1; 131072, 131073 in shard 2
        try jump(to: 4 * 65_536 + 5)
        try create(2)
        return (s, ids.reversed())
    }

    private func tables(_ s: TestStore) throws -> [String] {
        try s.store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%' AND name LIKE '%company%' ORDER BY name")
        }
    }

    @Test func recordsInEveryShardAreFoundCountedAndPagedInIdOrder() throws {
        let (s, newestFirst) = try spread()
        #expect(try tables(s) == ["s_company", "ss_company_1", "ss_company_2", "ss_company_3", "ss_company_4"])
        #expect(newestFirst[0] == 4 * 65_536 + 6)
        #expect(try s.store.find(Query("company", search: "华南")).records.map(\.id) == newestFirst.reversed())
        #expect(try s.store.count("company", search: "号公司") == 9)
        #expect(try s.store.count("company", search: "华南", upTo: 5) == 5)
        // One record alone, wherever it is.
        for (k, id) in newestFirst.reversed().enumerated() {
            #expect(try s.store.find(Query("company", search: "华南\(k)号")).records.map(\.id) == [id])
        }
        // Pages of two, both directions, through every kind of read.
        for descending in [true, false] {
            let expected = descending ? newestFirst : newestFirst.reversed()
            var seen: [Int64] = [], seenJSON: [Int64] = [], seenOnly: [Int64] = []
            var cursor: String? = nil, cursorJSON: String? = nil, cursorOnly: String? = nil
            repeat {
                let query = Query("company", search: "公司", sort: [SortKey("id", descending: descending)], limit: 2, after: cursor)
                let page = try s.store.find(query)
                seen += page.records.map(\.id)
                cursor = page.nextCursor
            } while cursor != nil
            repeat {
                let query = Query("company", search: "公司", sort: [SortKey("id", descending: descending)], limit: 2, after: cursorJSON)
                let page = try s.store.read { try $0.findJSON(query) }
                let rows = try JSONSerialization.jsonObject(with: Data(page.bytes)) as! [[String: Any]]
                seenJSON += rows.map { ($0["id"] as! NSNumber).int64Value }
                cursorJSON = page.nextCursor
            } while cursorJSON != nil
            repeat {
                let query = Query("company", search: "公司", sort: [SortKey("id", descending: descending)], limit: 2, after: cursorOnly)
                let page = try s.store.read { try $0.find(query, only: ["name"]) }
                seenOnly += page.records.map(\.id)
                cursorOnly = page.nextCursor
            } while cursorOnly != nil
            #expect(seen == expected)
            #expect(seenJSON == expected)
            #expect(seenOnly == expected)
        }
        // A cursor past the highest id (the records after it deleted) gives an empty page.
        let past = PageCursor.encode([(newestFirst[0] + 70_000).databaseValue])
        #expect(try s.store.find(Query("company", search: "公司", limit: 2, after: past)).records.isEmpty)
        // Another order reads the union of the shards.
        let byName = try s.store.find(Query("company", search: "华南", sort: [SortKey("name")])).records.map(\.id)
        #expect(Set(byName) == Set(newestFirst))
        #expect(byName.count == newestFirst.count)
    }

    @Test func updatesAndDeletesChangeTheRecordsOwnShard() throws {
        let (s, newestFirst) = try spread()
        let inShard1 = newestFirst.first { SearchIndex.shard(of: $0) == 1 }!
        let inShard2 = newestFirst.first { SearchIndex.shard(of: $0) == 2 }!
        _ = try s.store.update("company", inShard1, ["name": t("华北新名字")])
        #expect(try s.store.find(Query("company", search: "华北新")).records.map(\.id) == [inShard1])
        #expect(try s.store.count("company", search: "华南") == 8)
        try s.store.delete("company", inShard2)
        #expect(try s.store.count("company", search: "华南") == 7)
        let rows = try s.store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM ss_company_1 WHERE ss_company_1 MATCH '华北'")
        }
        #expect(rows == 1)
    }

    @Test func writesToALaterShardOweAndGetTheirMergesThere() throws {
        let (s, _) = try spread()
        // No table of the index has been written `mergeEveryRows` rows yet: nothing merged.
        #expect(s.store.searchMergeNanoseconds == 0)
        for k in 0..<SearchIndex.mergeEveryRows { try s.store.create("company", ["name": t("华东\(k)号")]) }
        // All of them went to shard 4, which was merged when its rows reached the mark.
        #expect(s.store.searchMergeNanoseconds > 0)
        let shard4 = try s.store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM ss_company_4") }
        #expect(shard4 == SearchIndex.mergeEveryRows + 2)
        #expect(try s.store.count("company", search: "华东") == SearchIndex.mergeEveryRows)
    }

    @Test func aShardWhoseFirstWriteRolledBackIsCreatedAgainByTheNext() throws {
        let (s, newestFirst) = try spread()
        try s.store.pool.write { db in try db.execute(sql: "UPDATE sqlite_sequence SET seq = ? WHERE name = 'e_company'", arguments: [6 * 65_536]) }
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try s.store.write(as: .system) { tx -> Void in
                try tx.create("company", ["name": t("华西临时")])
                throw Boom()
            }
        }
        #expect(try tables(s).contains("ss_company_6") == false)
        // The insert statement cached by the rolled-back write names a table that is gone.
        let id = try s.store.create("company", ["name": t("华西正式")]).id
        #expect(SearchIndex.shard(of: id) == 6)
        #expect(try tables(s).suffix(2) == ["ss_company_5", "ss_company_6"])
        #expect(try s.store.find(Query("company", search: "华西")).records.map(\.id) == [id])
        #expect(try s.store.count("company", search: "号公司") == newestFirst.count)
        try s.store.delete("company", id)
        #expect(try s.store.count("company", search: "华西") == 0)
    }

    @Test func anIndexFromBeforeShardsIsSplitWhenTheWorkspaceOpens() throws {
        let (s, newestFirst) = try spread()
        // The layout of a workspace from before: every record in s_company, no other shard.
        try s.store.pool.write { db in
            for k in 1...4 {
                try db.execute(sql: "INSERT INTO s_company(rowid, body) SELECT rowid, body FROM ss_company_\(k)")
                try db.execute(sql: "DROP TABLE ss_company_\(k)")
            }
        }
        #expect(try tables(s) == ["s_company"])
        try s.configure(Fixture.declarations)
        #expect(try tables(s) == ["s_company", "ss_company_1", "ss_company_2", "ss_company_3", "ss_company_4"])
        let inShard0 = try s.store.pool.read { db in try Int64.fetchOne(db, sql: "SELECT max(rowid) FROM s_company") }
        #expect(inShard0 == newestFirst.last! + 2)
        #expect(try s.store.find(Query("company", search: "华南")).records.map(\.id) == newestFirst.reversed())
    }

    @Test func changedSearchableFieldsRebuildEveryShard() throws {
        let (s, newestFirst) = try spread()
        #expect(try s.store.count("company", search: "深圳") == newestFirst.count)
        try s.configure(Fixture.declarations { company in
            company.fields = company.fields.map { var f = $0; if f.name == "city" { f.searchable = false }; return f }
        })
        #expect(try s.store.count("company", search: "深圳") == 0)
        #expect(try s.store.find(Query("company", search: "华南")).records.map(\.id) == newestFirst.reversed())
    }
}
