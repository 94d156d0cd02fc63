import Foundation
import GRDB
import Testing
@testable import CRMKernel

/// The read-only connections beside the pool: they see what was committed, refuse writes, open
/// no more than their limit and leave the caller to read another way when all are busy.
struct ReadConnectionsTests {
    @Test func readsSeeEachCommitAndCannotWrite() throws {
        let s = try TestStore()
        let first = try s.store.create("company", ["name": t("华信科技")])
        #expect(try s.store.json("company", first.id).map { String(decoding: $0.bytes, as: UTF8.self) }?.contains("华信科技") == true)
        try s.store.update("company", first.id, ["name": t("华信科技二部")])
        #expect(try s.store.get("company", first.id)?["name"] == t("华信科技二部"))
        let readers = ReadConnections(path: s.dir.url.appendingPathComponent("test.sqlite").path, configuration: GRDB.Configuration())
        #expect(throws: DatabaseError.self) {
            _ = try readers.read(isolated: false) { db in try db.execute(sql: "DELETE FROM e_company") }
        }
        #expect(try s.store.count("company") == 1)
    }

    @Test func aReadBeyondTheLimitIsLeftToTheCaller() throws {
        let s = try TestStore()
        let readers = ReadConnections(path: s.dir.url.appendingPathComponent("test.sqlite").path, configuration: GRDB.Configuration(), limit: 1)
        let outer = try readers.read(isolated: true) { db -> Int? in
            let inner = try readers.read(isolated: false) { _ in 1 }  // the only connection is busy
            #expect(inner == nil)
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM e_company")
        }
        #expect(outer == 0)
        // Given back: the next read gets the same connection.
        #expect(try readers.read(isolated: false) { _ in 2 } == 2)
        // The store itself falls back to its pool, so nested reads still answer.
        let nested = try s.store.read { _ in try s.store.read { _ in try s.store.count("company") } }
        #expect(nested == 0)
    }
}
