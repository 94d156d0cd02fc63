import Foundation
import GRDB
import Testing
@testable import CRMKernel

/// Issue 19 in the kernel: shared validation, filter limits, query budget, record versions.
struct HardeningTests {
    @Test func filtersDeeperThanSixteenOrLargerThanTwoHundredPartsAreRefused() throws {
        let s = try TestStore()
        var deep = Filter.eq("city", t("深圳"))
        for _ in 0..<20 { deep = .any([deep, .eq("city", t("x"))]) }
        let e = try #require(kernelError { _ = try s.store.find(Query("company", filter: deep)) })
        #expect(e.kind == .validation && e.message.contains("16 levels"))
        let wide = Filter.any((0..<250).map { .eq("city", t("c\($0)")) })
        #expect(kernelError { _ = try s.store.count("company", filter: wide) }?.message.contains("200 parts") == true)
        var script = ScriptValue.table(["city": .value(t("x"))])
        for _ in 0..<100 { script = .table(["_not": script]) }
        #expect(throws: KernelError.self) { _ = try Filter(script: script) }
        var ok = Filter.eq("city", t("深圳"))
        for _ in 0..<14 { ok = .any([ok, .eq("city", t("x"))]) }
        #expect(try s.store.find(Query("company", filter: ok)).records.isEmpty)
    }

    @Test func aQueryPastItsTimeBudgetStopsWithAClearError() throws {
        let s = try TestStore()
        let e = try #require(kernelError {
            try s.store.pool.read { db in
                _ = try QueryBudget.run(db) {
                    try Int.fetchOne(db, sql: "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n")
                }
            }
        })
        #expect(e.kind == .storage && e.message.contains("longer than 2 s"))
        // The connection is usable again afterwards, without the handler.
        #expect(try s.store.count("company") == 0)
    }

    /// A pass that sets its own limit (公海 reclaim) gets it for its queries, and only it.
    @Test func aLimitSetForAPassHoldsForItsQueriesOnly() throws {
        let s = try TestStore()
        let counting = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) SELECT count(*) FROM n"
        let tight = try #require(kernelError {
            try QueryBudget.withLimit(0.01) { try s.store.pool.read { db in _ = try QueryBudget.run(db) { try Int.fetchOne(db, sql: counting) } } }
        })
        #expect(tight.message.contains("longer than 0.01 s"))
        #expect(try s.store.pool.read { db in try QueryBudget.run(db) { try Int.fetchOne(db, sql: counting) } } == 3_000_000)
    }

    @Test func integersOutsideInt64AreFieldErrorsNotWrapped() throws {
        let s = try TestStore()
        for v in [Value.decimal(Decimal(string: "18446744073709551617")!), .decimal(Decimal(string: "9223372036854775808")!), t("99999999999999999999")] {
            let e = try #require(kernelError { try s.store.create("company", ["name": t("a"), "employees": v]) })
            #expect(e.fieldErrors.first?.field == "employees" && e.fieldErrors.first?.message.contains("out of range") == true, "\(e)")
            #expect(kernelError { try s.store.create("company", ["name": t("a"), "parent": v]) }?.fieldErrors.first?.field == "parent")
        }
        #expect(try s.store.count("company") == 0)
    }

    @Test func datetimesAreStrictAndNeverRollOver() throws {
        let s = try TestStore()
        for bad in ["2026-02-30T00:00:00Z", "2026-01-01T25:00:00Z", "2026-01-01T10:00:60Z", "2026-01-01T10:00:00.250Z", "1899-12-31T00:00:00Z"] {
            #expect(kernelError { try s.store.create("company", ["name": t("a"), "contacted_at": t(bad)]) }?.fieldErrors.first?.field == "contacted_at", "\(bad)")
        }
        let r = try s.store.create("company", ["name": t("a"), "contacted_at": t("2026-11-22T16:30:00.000+08:00"), "founded": t("1999-02-28")])
        #expect(r["contacted_at"].description == "2026-11-22T08:30:00Z")
        #expect(kernelError { try s.store.create("company", ["name": t("a"), "founded": t("0000-01-01")]) }?.fieldErrors.first?.field == "founded")
    }

    @Test func blankInvisibleOrControlTextAndGroupedNumbersAreFieldErrors() throws {
        let s = try TestStore()
        for (field, value) in [("name", t("   ")), ("name", t("\u{200B}\u{FEFF}")), ("city", t("a\u{0}b")), ("revenue", t("1,000"))] {
            var values: [String: Value] = ["name": t("ok")]
            values[field] = value
            #expect(kernelError { try s.store.create("company", values) }?.fieldErrors.first?.field == field, "\(field)")
        }
        #expect(try s.store.create("company", ["name": t(" 甲 "), "notes": t("line\nline\ttab")])["name"] == t(" 甲 "))
    }

    @Test func versionsCountUpdatesAndStaleWritesAreRefused() throws {
        let s = try TestStore()
        let r = try s.store.create("company", ["name": t("a")])
        #expect(r["version"] == .integer(1))
        let u = try s.store.write(as: .system) { try $0.update("company", r.id, ["city": t("深圳")], expectedVersion: 1) }
        #expect(u["version"] == .integer(2))
        #expect(try s.store.get("company", r.id)?["version"] == .integer(2))
        let e = try #require(kernelError { try s.store.write(as: .system) { _ = try $0.update("company", r.id, ["city": t("广州")], expectedVersion: 1) } })
        #expect(e.kind == .staleVersion)
        #expect(kernelError { try s.store.write(as: .system) { try $0.delete("company", r.id, expectedVersion: 1) } }?.kind == .staleVersion)
        let same = try s.store.write(as: .system) { try $0.update("company", r.id, ["city": t("深圳")], expectedVersion: 2) }
        #expect(same["version"] == .integer(2), "a write that changes nothing keeps the version")
        try s.store.write(as: .system) { try $0.delete("company", r.id, expectedVersion: 2) }
        #expect(try s.store.get("company", r.id) == nil)
    }

    @Test func listEditsAddAndRemoveWithoutReadingFirst() throws {
        let s = try TestStore()
        let r = try s.store.create("company", ["name": t("a"), "tags": .list(["x", "y"]), "industries": .list(["it"])])
        let u = try s.store.write(as: .system) {
            try $0.update("company", r.id, [:], listEdits: ["tags": ListEdit(add: ["z", "x"], remove: ["y"]), "industries": ListEdit(add: ["retail"])])
        }
        #expect(u["tags"] == .list(["x", "z"]) && u["industries"] == .list(["it", "retail"]))
        #expect(kernelError { try s.store.write(as: .system) { _ = try $0.update("company", r.id, [:], listEdits: ["industries": ListEdit(add: ["food"])]) } }?.fieldErrors.first?.field == "industries")
        #expect(kernelError { try s.store.write(as: .system) { _ = try $0.update("company", r.id, [:], listEdits: ["city": ListEdit(add: ["x"])]) } }?.fieldErrors.first?.field == "city")
    }

    @Test func passwordPolicyRefusesWeakPasswords() throws {
        let policy = PasswordPolicy()
        for weak in ["        ", "1234567", "zhangwei", "ZhangWei", "password123", "88888888"] {
            #expect(throws: KernelError.self, "\(weak)") { try policy.check(weak, userName: "zhangwei") }
        }
        try policy.check("长城饭店2026秋", userName: "zhangwei")
        #expect(PasswordPolicy(minLength: 4).minLength == 8)
    }
}
