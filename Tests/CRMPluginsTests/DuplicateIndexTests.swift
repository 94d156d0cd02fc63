import CRMKernel
import GRDB
import Testing

/// 查重 reads only indexes: SQLite's own query plans for the lookups the hook makes.
struct DuplicateIndexTests {
    static func plan(_ db: DatabaseQueue, _ sql: String) throws -> String {
        try db.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: ["x"]).map { $0["detail"] as String }.joined(separator: " | ")
        }
    }

    @Test func aDuplicateCheckIsAnIndexLookupNeverATableScan() throws {
        let w = try DuplicateFixture()
        try w.create("深圳华信科技有限公司", "13800138000")
        let db = try DatabaseQueue(path: Workspace.databaseURL(in: w.directory).path)
        // The statement `RecordReader.ids(_:where:equals:limit:)` runs for each match.
        for column in ["name_key", "phone_key", "credit_code"] {
            let plan = try Self.plan(db, "SELECT id FROM e_customer WHERE \"\(column)\" = ? LIMIT 2")
            #expect(plan.contains("SEARCH") && plan.contains("INDEX"), "\(column): \(plan)")
            #expect(!plan.contains("SCAN"), "\(column): \(plan)")
        }
        let contact = try Self.plan(db, "SELECT id FROM e_contact WHERE \"phone_key\" = ? LIMIT 7")
        #expect(contact.contains("SEARCH") && !contact.contains("SCAN"), "\(contact)")
    }
}
