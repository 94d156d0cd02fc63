import Foundation
import GRDB
import Testing
@testable import CRMKernel

/// The full-text indexes are merged by the kernel in even slices after each write transaction,
/// not by FTS5's bursty automerge (`SearchIndex+Merging.swift`).
struct SearchMergeTests {
    /// Levels and segments of an FTS5 index, from its structure record (`<table>_data`, id 10):
    /// a 4-byte cookie, then the number of levels and of segments as varints.
    private func structure(_ store: RecordStore, _ table: String) throws -> (levels: Int, segments: Int) {
        let blob = try store.pool.read { db in try Data.fetchOne(db, sql: "SELECT block FROM \(table)_data WHERE id = 10") } ?? Data()
        var bytes = blob.dropFirst(4).makeIterator()
        func varint() -> Int {
            var value = 0
            while let b = bytes.next() {
                value = value << 7 | Int(b & 0x7f)
                if b & 0x80 == 0 { break }
            }
            return value
        }
        return (varint(), varint())
    }

    @Test func indexesMergeAfterEachTransactionAndFTS5DoesNotMergeOnItsOwn() throws {
        let s = try TestStore()
        #expect(try s.store.pool.read { db in try Int.fetchOne(db, sql: "SELECT v FROM s_company_config WHERE k = 'automerge'") } == 0)
        for k in 0..<280 { try s.store.create("company", ["name": t("华南\(k)号公司"), "city": t("深圳")]) }
        let merged = try structure(s.store, "s_company")
        // 280 transactions (the last one merging: 7 × `mergeEveryRows`); FTS5's crisis merge alone
        // (at 16 segments a level) leaves 10.
        #expect(merged.segments <= 6, "\(merged)")
        #expect(try s.store.count("company", search: "华南1") == 111)  // 1, 10–19, 100–199
        #expect(try s.store.count("company", search: "号公司") == 280)
    }

    @Test func aWorkspaceFromBeforeGetsFTS5sAutomergeTurnedOffWhenOpened() throws {
        let s = try TestStore()
        try s.store.pool.write { db in try db.execute(sql: "INSERT INTO s_company(s_company, rank) VALUES ('automerge', 4)") }
        try s.configure(Fixture.declarations)
        #expect(try s.store.pool.read { db in try Int.fetchOne(db, sql: "SELECT v FROM s_company_config WHERE k = 'automerge'") } == 0)
    }

    @Test func deferredMergesWaitForTheirCallerAndAreStillBoundedInline() throws {
        let s = try TestStore()
        func merges() -> UInt64 { s.store.searchMergeNanoseconds }
        // Within the deferring scope, 200 single-record transactions merge nothing themselves.
        try RecordStore.deferringSearchMerges {
            for k in 0..<200 { try s.store.create("company", ["name": t("华北\(k)号公司")]) }
        }
        #expect(merges() == 0)
        #expect(try s.store.count("company", search: "号公司") == 200)
        // The caller merges what is owed, once; nothing is left owed after.
        #expect(try s.store.mergeOwedSearchIndexes() > 0)
        let afterCatchUp = merges()
        #expect(try s.store.mergeOwedSearchIndexes() == 0)
        #expect(try structure(s.store, "s_company").segments <= 6)
        // A caller that never catches up: past `deferredMergeLimit` rows the transaction merges
        // inline, so the segments stay bounded.
        try RecordStore.deferringSearchMerges {
            for k in 0..<(SearchIndex.deferredMergeLimit + 5) { try s.store.create("company", ["name": t("华东\(k)号公司")]) }
        }
        #expect(merges() > afterCatchUp)
        #expect(try structure(s.store, "s_company").segments <= 12)
        // Outside the scope the usual rule holds: every `mergeEveryRows` rows.
        let before = merges()
        for k in 0..<SearchIndex.mergeEveryRows { try s.store.create("company", ["name": t("西南\(k)号")]) }
        #expect(merges() > before)
        #expect(try s.store.count("company", search: "号公司") == 200 + SearchIndex.deferredMergeLimit + 5)
    }
}
