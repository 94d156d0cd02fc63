import Foundation
import GRDB
import Testing
@testable import CRMKernel

/// Write statements bound through SQLite's C API (`Statement.executeBound`): every value kind
/// stored as GRDB would store it, and failures reported by GRDB as before.
struct BoundStatementTests {
    @Test func everyKindOfValueIsStoredAsGRDBStoresIt() throws {
        let db = try DatabaseQueue()
        try db.write { db in
            try db.execute(sql: "CREATE TABLE t (k INTEGER PRIMARY KEY, v)")
            let values: [DatabaseValue] = [
                .null, Int64.max.databaseValue, Int64.min.databaseValue, 2.5.databaseValue, "".databaseValue,
                "深圳华信科技有限公司 with a longer tail than a small string".databaseValue, "a\0b".databaseValue,
                Data().databaseValue, Data([0, 1, 255]).databaseValue,
            ]
            let bound = try db.cachedStatement(sql: "INSERT INTO t (k, v) VALUES (?, ?)")
            for (i, value) in values.enumerated() {
                try bound.executeBound([Int64(i).databaseValue, value])
                try db.execute(sql: "INSERT INTO t (k, v) VALUES (?, ?)", arguments: [1000 + i, value])
            }
            for i in values.indices {
                let pair = try Row.fetchAll(db, sql: "SELECT v, typeof(v) AS kind FROM t WHERE k IN (?, ?) ORDER BY k", arguments: [i, 1000 + i])
                #expect(pair.count == 2 && pair[0]["v"] as DatabaseValue == pair[1]["v"] as DatabaseValue, "value \(i)")
                #expect(pair[0]["kind"] as String == pair[1]["kind"] as String, "storage class of value \(i)")
            }
        }
    }

    @Test func aFailureIsGRDBsErrorAndTheStatementStaysUsable() throws {
        let db = try DatabaseQueue()
        try db.write { db in
            try db.execute(sql: "CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)")
            let insert = try db.cachedStatement(sql: "INSERT INTO t (k, v) VALUES (?, ?)")
            try insert.executeBound([1.databaseValue, "a".databaseValue])
            do {
                try insert.executeBound([2.databaseValue, "a".databaseValue])
                Issue.record("a duplicate was stored")
            } catch let error as DatabaseError {
                #expect(error.resultCode == .SQLITE_CONSTRAINT && error.message?.contains("t.v") == true)
            }
            try db.cachedStatement(sql: "INSERT INTO t (k, v) VALUES (?, ?)").executeBound([3.databaseValue, "b".databaseValue])
            #expect(try String.fetchAll(db, sql: "SELECT v FROM t ORDER BY k") == ["a", "b"])
            #expect(throws: DatabaseError.self, "a value missing is GRDB's error, not a crash") {
                try db.cachedStatement(sql: "INSERT INTO t (k, v) VALUES (?, ?)").executeBound([4.databaseValue])
            }
            #expect(try String.fetchAll(db, sql: "SELECT v FROM t ORDER BY k") == ["a", "b"])
        }
    }

    @Test func aDuplicateThroughTheStoreIsStillAFieldConflict() throws {
        let s = try TestStore()
        _ = try s.store.create("company", ["name": t("华信科技"), "code": t("HXK-1")])
        #expect(throws: KernelError.self) { try s.store.create("company", ["name": t("华信科技二部"), "code": t("HXK-1")]) }
        do { _ = try s.store.create("company", ["name": t("华信科技二部"), "code": t("HXK-1")]) } catch let error as KernelError {
            #expect(error.kind == .conflict && error.fieldErrors.first?.field == "code")
        }
        #expect(try s.store.count("company") == 1)
        _ = try s.store.create("company", ["name": t("华信科技三部"), "code": t("HXK-3")])
        #expect(try s.store.count("company") == 2)
    }

    @Test func idLookupsReadEveryMatchUpToTheLimitAndLeaveOtherRowsToGRDB() throws {
        let db = try DatabaseQueue()
        try db.write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, w)")
            for i in 1...5 { try db.execute(sql: "INSERT INTO t (id, v, w) VALUES (?, ?, ?)", arguments: [i, i % 2 == 0 ? "even" : "odd", "x\(i)"]) }
            let lookup = try db.cachedStatement(sql: "SELECT id FROM t WHERE v = ? ORDER BY id LIMIT ?")
            #expect(try lookup.fetchIDsBound(["odd".databaseValue, 10.databaseValue]) == [1, 3, 5])
            #expect(try lookup.fetchIDsBound(["odd".databaseValue, 2.databaseValue]) == [1, 3])
            #expect(try lookup.fetchIDsBound(["none".databaseValue, 10.databaseValue]) == [])
            #expect(try lookup.fetchIDsBound(["even".databaseValue, 10.databaseValue]) == [2, 4], "the statement is reset between uses")
            let text = try db.cachedStatement(sql: "SELECT w FROM t WHERE v = ? LIMIT ?")
            #expect(try text.fetchIDsBound(["odd".databaseValue, 10.databaseValue]) == Int64.fetchAll(text, arguments: ["odd", 10]),
                    "a column that is not an integer reads as GRDB reads it")
            #expect(throws: DatabaseError.self, "a value missing is GRDB's error") {
                try lookup.fetchIDsBound(["odd".databaseValue])
            }
        }
    }

    @Test func storeIdLookupsFindUniqueAndPlainValues() throws {
        let s = try TestStore()
        let a = try s.store.create("company", ["name": t("华信科技"), "code": t("HXK-1")])
        let b = try s.store.create("company", ["name": t("华信科技"), "code": t("HXK-2")])
        let code = try s.store.read { try $0.ids("company", where: "code", equals: t("HXK-2")) }
        let names = try s.store.read { try $0.ids("company", where: "name", equals: t("华信科技")) }
        let first = try s.store.read { try $0.ids("company", where: "name", equals: t("华信科技"), limit: 1) }
        let empty = try s.store.read { try $0.ids("company", where: "code", equals: t("")) }
        #expect(code == [b.id] && names.sorted() == [a.id, b.id] && first.count == 1 && empty.isEmpty)
        #expect(throws: KernelError.self) { try s.store.read { try $0.ids("company", where: "nope", equals: t("x")) } }
    }
}
