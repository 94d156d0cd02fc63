import Foundation
import Testing
@testable import CRMKernel

struct QueryTests {
    /// Six companies with a spread of values, some missing.
    private func seeded() throws -> (TestStore, [String: Int64]) {
        let s = try TestStore()
        var ids: [String: Int64] = [:]
        let rows: [[String: Value]] = [
            ["name": t("Alpha"), "employees": i(10), "revenue": d("100.50"), "stage": t("won"), "city": t("深圳"), "tags": .list(["vip", "cn"]), "founded": t("2001-05-01"), "active": .bool(true)],
            ["name": t("Beta"), "employees": i(20), "revenue": d("200.00"), "stage": t("lead"), "city": t("上海"), "tags": .list(["cn"]), "founded": t("2010-01-01"), "active": .bool(false)],
            ["name": t("gamma 50% off"), "employees": i(30), "revenue": d("0.01"), "stage": t("lost"), "city": t("深圳"), "founded": t("2020-12-31")],
            ["name": t("Delta_x"), "employees": i(20), "stage": .null, "city": t("")],
            ["name": t("epsilon"), "revenue": d("1000.50"), "stage": t("won"), "tags": .list(["vip"])],
            ["name": t("Zeta"), "employees": i(0), "stage": t("lead"), "city": t("北京")],
        ]
        for r in rows { ids[r["name"]!.textValue!] = try s.store.create("company", r).id }
        return (s, ids)
    }

    private func names(_ s: TestStore, _ filter: Filter?, sort: [SortKey] = [SortKey("name")]) throws -> [String] {
        try s.store.find(Query("company", filter: filter, sort: sort)).records.map { $0["name"].textValue! }
    }

    private func cond(_ f: String, _ op: FilterOperator, _ v: Value) -> Filter { .condition(field: f, op: op, value: v) }

    @Test func comparisonOperatorsOnNumbersTreatMissingValuesAsNoMatchExceptNe() throws {
        let (s, _) = try seeded()
        #expect(try names(s, cond("employees", .eq, i(20))) == ["Beta", "Delta_x"])
        #expect(try names(s, cond("employees", .ne, i(20))) == ["Alpha", "Zeta", "epsilon", "gamma 50% off"])
        #expect(try names(s, cond("employees", .lt, i(20))) == ["Alpha", "Zeta"])
        #expect(try names(s, cond("employees", .le, i(20))) == ["Alpha", "Beta", "Delta_x", "Zeta"])
        #expect(try names(s, cond("employees", .gt, i(20))) == ["gamma 50% off"])
        #expect(try names(s, cond("employees", .ge, t("20"))) == ["Beta", "Delta_x", "gamma 50% off"])
        #expect(try names(s, .eq("employees", .null)) == ["epsilon"])
        #expect(try names(s, cond("employees", .ne, .null)).count == 5)
    }

    @Test func comparisonsOnMoneyDatesBooleansAndChoices() throws {
        let (s, _) = try seeded()
        #expect(try names(s, cond("revenue", .gt, t("100.5"))) == ["Beta", "epsilon"])
        #expect(try names(s, cond("revenue", .ge, d("100.50"))) == ["Alpha", "Beta", "epsilon"])
        #expect(try names(s, cond("revenue", .lt, .real(1))) == ["gamma 50% off"])
        #expect(try names(s, cond("founded", .ge, t("2010-01-01"))) == ["Beta", "gamma 50% off"])
        #expect(try names(s, .eq("active", .bool(false))) == ["Beta"])
        #expect(try names(s, .eq("active", t("是"))) == ["Alpha", "Delta_x", "Zeta", "epsilon", "gamma 50% off"])
        #expect(try names(s, .eq("stage", t("won"))) == ["Alpha", "epsilon"])
    }

    @Test func inAndNotIn() throws {
        let (s, _) = try seeded()
        #expect(try names(s, cond("stage", .in, .list(["won", "lost"]))) == ["Alpha", "epsilon", "gamma 50% off"])
        #expect(try names(s, cond("stage", .notIn, .list(["won", "lost"]))) == ["Beta", "Delta_x", "Zeta"])
        #expect(try names(s, cond("employees", .in, .list(["0", "30"]))) == ["Zeta", "gamma 50% off"])
        #expect(try names(s, cond("employees", .in, .list([]))) == [])
        #expect(try names(s, cond("employees", .notIn, .list([]))).count == 6)
        #expect(try names(s, cond("tags", .in, .list(["vip", "nope"]))) == ["Alpha", "epsilon"])
        #expect(try names(s, cond("tags", .notIn, .list(["vip"]))) == ["Beta", "Delta_x", "Zeta", "gamma 50% off"])
    }

    @Test func containsAndStartsWithMatchTextLiterally() throws {
        let (s, _) = try seeded()
        #expect(try names(s, cond("name", .contains, t("ALPH"))) == ["Alpha"])
        #expect(try names(s, cond("name", .contains, t("50%"))) == ["gamma 50% off"])
        #expect(try names(s, cond("name", .contains, t("%"))) == ["gamma 50% off"])
        #expect(try names(s, cond("name", .contains, t("_"))) == ["Delta_x"])
        #expect(try names(s, cond("name", .startsWith, t("e"))) == ["epsilon"])
        #expect(try names(s, cond("name", .startsWith, t("lpha"))) == [])
        #expect(try names(s, cond("city", .contains, t("深"))) == ["Alpha", "gamma 50% off"])
        #expect(try names(s, cond("tags", .contains, t("cn"))) == ["Alpha", "Beta"])
        #expect(try names(s, .eq("tags", t("vip"))) == ["Alpha", "epsilon"])
        #expect(kernelError { _ = try s.store.find(Query("company", filter: cond("name", .contains, i(5)))) }?.fieldErrors.map(\.field) == ["name"])
    }

    @Test func isEmptyAndIsNotEmpty() throws {
        let (s, _) = try seeded()
        #expect(try names(s, cond("city", .isEmpty, .null)) == ["Delta_x", "epsilon"])
        #expect(try names(s, cond("city", .isNotEmpty, .null)) == ["Alpha", "Beta", "Zeta", "gamma 50% off"])
        #expect(try names(s, cond("employees", .isEmpty, .null)) == ["epsilon"])
        #expect(try names(s, cond("tags", .isEmpty, .null)) == ["Delta_x", "Zeta", "gamma 50% off"])
        #expect(try names(s, cond("tags", .isNotEmpty, .null)) == ["Alpha", "Beta", "epsilon"])
    }

    @Test func andOrNotCombine() throws {
        let (s, _) = try seeded()
        let wonOrLead = Filter.any([.eq("stage", t("won")), .eq("stage", t("lead"))])
        #expect(try names(s, wonOrLead) == ["Alpha", "Beta", "Zeta", "epsilon"])
        #expect(try names(s, .all([wonOrLead, cond("employees", .ge, i(10))])) == ["Alpha", "Beta"])
        #expect(try names(s, .any([.all([.eq("city", t("深圳")), .eq("stage", t("lost"))]), .eq("name", t("Zeta"))])) == ["Zeta", "gamma 50% off"])
        #expect(try names(s, .all([])).count == 6)
        #expect(try names(s, .any([])) == [])
        #expect(try names(s, .not(.any([]))).count == 6)
        #expect(try names(s, .not(.not(.eq("stage", t("won"))))) == ["Alpha", "epsilon"])
    }

    /// NOT is the complement: a record matches either a filter or its negation, never both,
    /// also when the filter compares a missing value.
    @Test func notMatchesExactlyTheRecordsTheFilterDoesNot() throws {
        let (s, _) = try seeded()
        let all = Set(try names(s, nil))
        let filters: [Filter] = [
            .eq("stage", t("won")), cond("employees", .lt, i(20)), cond("city", .contains, t("深")),
            .all([.eq("stage", t("lead")), cond("employees", .gt, i(5))]), .any([.eq("city", t("上海")), cond("revenue", .gt, i(500))]),
            cond("stage", .in, .list(["won"])), cond("tags", .contains, t("vip")),
        ]
        for f in filters {
            let yes = Set(try names(s, f)), no = Set(try names(s, .not(f)))
            #expect(yes.isDisjoint(with: no), "\(f)")
            #expect(yes.union(no) == all, "\(f)")
            #expect(try s.store.count("company", filter: f) + s.store.count("company", filter: .not(f)) == 6, "\(f)")
        }
        #expect(try names(s, .not(.eq("stage", t("won")))) == names(s, cond("stage", .ne, t("won"))))
    }

    @Test func sortsAscendingDescendingWithMissingValuesAndSeveralKeys() throws {
        let (s, ids) = try seeded()
        #expect(try names(s, nil, sort: [SortKey("employees"), SortKey("name")]) == ["epsilon", "Zeta", "Alpha", "Beta", "Delta_x", "gamma 50% off"])
        #expect(try names(s, nil, sort: [SortKey(parsing: "-employees"), SortKey("name")]) == ["gamma 50% off", "Beta", "Delta_x", "Alpha", "Zeta", "epsilon"])
        #expect(try names(s, nil, sort: [SortKey("stage", descending: true), SortKey(parsing: "-revenue")]) == ["epsilon", "Alpha", "gamma 50% off", "Beta", "Zeta", "Delta_x"])
        let byID = try s.store.find(Query("company", sort: [SortKey("id", descending: true)])).records.map(\.id)
        #expect(byID == ids.values.sorted(by: >))
        #expect(kernelError { _ = try s.store.find(Query("company", sort: [SortKey("colour")])) }?.fieldErrors.map(\.field) == ["colour"])
    }

    @Test func unknownFieldsWrongValuesAndBadCursorsAreValidationErrors() throws {
        let (s, _) = try seeded()
        var e = try #require(kernelError { _ = try s.store.find(Query("company", filter: .eq("colour", t("red")))) })
        #expect(e.kind == .validation)
        #expect(e.fieldErrors.map(\.field) == ["colour"])
        e = try #require(kernelError { _ = try s.store.find(Query("company", filter: .eq("employees", t("many")))) })
        #expect(e.fieldErrors.map(\.field) == ["employees"])
        #expect(kernelError { _ = try s.store.find(Query("company", filter: cond("tags", .lt, t("x")))) }?.fieldErrors.map(\.field) == ["tags"])
        #expect(kernelError { _ = try s.store.find(Query("company", limit: 2, after: "not a cursor!")) }?.kind == .validation)
        let page = try s.store.find(Query("company", sort: [SortKey("name")], limit: 2))
        let cursor = try #require(page.nextCursor)
        #expect(kernelError { _ = try s.store.find(Query("company", sort: [], limit: 2, after: cursor)) }?.kind == .validation)
    }

    @Test func countMatchesWhatFindReturns() throws {
        let (s, _) = try seeded()
        #expect(try s.store.count("company") == 6)
        #expect(try s.store.count("company", filter: .eq("stage", t("won"))) == 2)
        for search in ["深圳", "alpha", "vip", "!!!", "无此"] {
            let found = try s.store.find(Query("company", search: search)).records.count
            #expect(try s.store.count("company", search: search) == found, "search '\(search)'")
        }
        #expect(kernelError { _ = try s.store.count("contact", search: "张") }?.kind == .validation)
    }

    /// Pages through every record in several sort orders with ties and missing values; the
    /// pages together hold each record exactly once, in the order of the unpaged query.
    @Test func keysetPaginationAcrossPagesWithTiesAndNulls() throws {
        let s = try TestStore()
        let stages: [Value] = [t("lead"), t("won"), .null, t("lost")]
        var input: [[String: Value]] = []
        for n in 0..<37 {
            let employees: Value = n % 4 == 0 ? .null : i(Int64(n % 3))
            let revenue: Value = n % 6 == 0 ? .null : .decimal(Decimal(n % 2) + Decimal(string: "0.25")!)
            input.append(["name": t("C\(n % 5)"), "employees": employees, "stage": stages[n % 4], "revenue": revenue])
        }
        _ = try s.store.bulkCreate("company", input)
        let sorts: [[SortKey]] = [
            [], [SortKey("employees")], [SortKey("employees", descending: true)],
            [SortKey("stage"), SortKey("employees", descending: true)],
            [SortKey("revenue", descending: true), SortKey("name"), SortKey("id", descending: true)],
            [SortKey("name", descending: true), SortKey("stage", descending: true), SortKey("employees")],
        ]
        let filter = Filter.not(.eq("name", t("C3")))
        let expectedCount = try s.store.count("company", filter: filter)
        #expect(expectedCount == 30)
        for sort in sorts {
            let full = try s.store.find(Query("company", filter: filter, sort: sort)).records.map(\.id)
            #expect(full.count == expectedCount)
            for size in [1, 4, 7, 29, 50] {
                var paged: [Int64] = [], cursor: String? = nil, pages = 0
                repeat {
                    let page = try s.store.find(Query("company", filter: filter, sort: sort, limit: size, after: cursor))
                    #expect(page.records.count <= size)
                    paged += page.records.map(\.id)
                    cursor = page.nextCursor
                    pages += 1
                } while cursor != nil && pages < 100
                #expect(paged == full, "sort \(sort.map { ($0.descending ? "-" : "") + $0.field }) size \(size)")
                #expect(pages == max(1, (expectedCount + size - 1) / size))
            }
        }
        #expect(try s.store.find(Query("company", limit: 0)).records.isEmpty)
    }
}
