import Foundation
import GRDB
import GRDBSQLite
import Testing
@testable import CRMKernel

/// A unique field's index is partial (empty values never collide), so a probe of a unique value
/// must say `column <> ''` for SQLite to use it. Before, every unique check, every dedupe-key
/// lookup and every `eq` filter on a unique field scanned the whole table: loading 100,000
/// tickets (each notifying its agent under a unique key) slowed to minutes.
struct UniqueIndexUseTests {
    /// Five thousand notifications with keys, then one more: counted in SQLite VM steps.
    @Test func aUniqueProbeIsAnIndexLookupNotAScan() throws {
        let t = try TestStore()
        let user = try t.makeUser("lina")
        let rows = (0..<5000).map { i -> [String: Value] in
            ["user": .integer(user.id!), "kind": .text("test"), "title": .text("通知\(i)"), "key": .text("k.\(i)"), "owner": .integer(user.id!)]
        }
        #expect(try t.store.bulkCreate("notification", rows).created == 5000)

        let steps = StepCounter()
        try t.store.pool.write { db in steps.install(db) }
        defer { try? t.store.pool.write { db in steps.remove(db) } }
        let sent = try t.store.write(as: .system) { tx in
            try Notifications.send(Notifications.Message(user: user.id!, kind: "test", title: "再一条", key: "k.new"), in: tx)
        }
        #expect(sent != nil)
        // A scan of 5,000 rows takes tens of thousands of steps; two index probes and the
        // inserts of one record take a few hundred.
        #expect(steps.count < 3000, "\(steps.count) VM steps for one keyed notification")
        let again = try t.store.write(as: .system) { tx in
            try Notifications.send(Notifications.Message(user: user.id!, kind: "test", title: "重复", key: "k.new"), in: tx)
        }
        #expect(again == nil, "the dedupe key still finds the first one")
    }

    @Test func anEqualityFilterOnAUniqueFieldUsesItsIndex() throws {
        let t = try TestStore()
        let entity = try t.store.schema.entity("notification")
        let (clause, args) = try QueryCompiler(entity: entity).whereClause(.eq("key", .text("k.1")))
        let plan = try t.store.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT id FROM \(SQL.quote(entity.tableName)) WHERE \(clause)",
                             arguments: StatementArguments(args)).map { $0["detail"] as String? ?? "" }
        }
        #expect(plan.contains { $0.contains("ux_") }, "\(plan)")
        #expect(!plan.contains { $0.hasPrefix("SCAN") }, "\(plan)")
        let (empty, emptyArgs) = try QueryCompiler(entity: entity).whereClause(.eq("key", .text("")))
        #expect(!empty.contains("<> ''") && emptyArgs.count == 1, "an empty value is compared as it is")
    }
}

/// Counts the SQLite virtual-machine steps on one connection (a progress handler every step).
final class StepCounter: @unchecked Sendable {
    private(set) var count = 0

    func install(_ db: Database) {
        sqlite3_progress_handler(db.sqliteConnection, 1, { context in
            guard let context else { return 0 }
            Unmanaged<StepCounter>.fromOpaque(context).takeUnretainedValue().count += 1
            return 0
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    func remove(_ db: Database) {
        sqlite3_progress_handler(db.sqliteConnection, 0, nil, nil)
    }
}
