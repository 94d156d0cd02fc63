import Foundation
import Testing
@testable import CRMKernel

struct AggregateTests {
    private func seeded() throws -> TestStore {
        let s = try TestStore()
        let rows: [[String: Value]] = [
            ["name": t("A"), "employees": i(10), "revenue": d("0.10"), "rating": d("4.5"), "stage": t("won"), "founded": t("2024-01-15"), "contacted_at": t("2024-01-31T23:30:00Z")],
            ["name": t("B"), "employees": i(20), "revenue": d("0.20"), "rating": d("3.0"), "stage": t("won"), "founded": t("2024-01-20"), "contacted_at": t("2024-02-01T00:10:00Z")],
            ["name": t("C"), "employees": i(5), "revenue": d("19999999.99"), "stage": t("lead"), "founded": t("2024-03-01")],
            ["name": t("D"), "revenue": d("0.01"), "stage": t("lead"), "founded": t("2023-12-31")],
            ["name": t("E"), "employees": i(1), "stage": .null],
        ]
        for r in rows { _ = try s.store.create("company", r) }
        return s
    }

    @Test func countSumAvgMinMaxOverAllRecords() throws {
        let s = try seeded()
        let rows = try s.store.aggregate("company", measures: [.count, .sum("employees"), .avg("employees"), .min("employees"), .max("employees"), .min("name"), .max("founded")])
        #expect(rows.count == 1)
        #expect(rows[0].group.isEmpty)
        #expect(rows[0].values == [i(5), i(36), .real(9), i(1), i(20), t("A"), t("2024-03-01")])
    }

    @Test func moneySumsStayExactDecimals() throws {
        let s = try seeded()
        let rows = try s.store.aggregate("company", measures: [.sum("revenue"), .min("revenue"), .max("revenue"), .avg("revenue"), .sum("rating"), .avg("rating")])
        #expect(rows[0].values[0] == d("20000000.30"))
        #expect(rows[0].values[1] == d("0.01"))
        #expect(rows[0].values[2] == d("19999999.99"))
        #expect(rows[0].values[3] == d("5000000.08"))
        #expect(rows[0].values[4] == d("7.5"))
        #expect(rows[0].values[5] == d("3.8"))
    }

    @Test func manySmallAmountsSumWithoutDrift() throws {
        let s = try TestStore()
        let result = try s.store.bulkCreate("company", (0..<1000).map { _ in ["name": t("x"), "revenue": d("0.10")] as [String: Value] }, options: BulkOptions(batchSize: 500))
        #expect(result.created == 1000)
        let rows = try s.store.aggregate("company", measures: [.sum("revenue")])
        #expect(rows[0].values == [d("100")])
        if case .decimal(let sum) = rows[0].values[0] { #expect(sum == Decimal(100)) } else { Issue.record("sum of money is \(rows[0].values[0])") }
    }

    @Test func groupsComeSortedByKeyWithMissingValuesFirst() throws {
        let s = try seeded()
        let rows = try s.store.aggregate("company", groupBy: [GroupKey("stage")], measures: [.count, .sum("revenue"), .sum("employees")])
        #expect(rows.map { $0.group["stage"] } == [.null, t("lead"), t("won")])
        #expect(rows.map(\.values) == [[i(1), d("0"), i(1)], [i(2), d("20000000.00"), i(5)], [i(2), d("0.30"), i(30)]])
    }

    @Test func groupsByDatePeriodsAndSeveralKeys() throws {
        let s = try seeded()
        let months = try s.store.aggregate("company", groupBy: [GroupKey("founded", bucket: .month)], measures: [.count], filter: .condition(field: "founded", op: .isNotEmpty, value: .null))
        #expect(months.map { $0.group["founded"] } == [t("2023-12"), t("2024-01"), t("2024-03")])
        #expect(months.map(\.values) == [[i(1)], [i(2)], [i(1)]])
        let years = try s.store.aggregate("company", groupBy: [GroupKey("founded", bucket: .year)], measures: [.count])
        #expect(years.map { $0.group["founded"] } == [.null, t("2023"), t("2024")])
        let days = try s.store.aggregate("company", groupBy: [GroupKey("contacted_at", bucket: .day)], measures: [.count], filter: .condition(field: "contacted_at", op: .isNotEmpty, value: .null))
        #expect(days.map { $0.group["contacted_at"] } == [t("2024-01-31"), t("2024-02-01")])
        let two = try s.store.aggregate("company", groupBy: [GroupKey("stage"), GroupKey("founded", bucket: .year)], measures: [.count])
        #expect(two.map { [$0.group["stage"]!, $0.group["founded"]!] } == [[.null, .null], [t("lead"), t("2023")], [t("lead"), t("2024")], [t("won"), t("2024")]])
        #expect(two.map { $0.values[0] } == [i(1), i(1), i(1), i(2)])
    }

    @Test func filtersApplyAndEmptySetsGiveZeroOrNull() throws {
        let s = try seeded()
        let won = try s.store.aggregate("company", measures: [.count, .sum("revenue")], filter: .eq("stage", t("won")))
        #expect(won[0].values == [i(2), d("0.30")])
        let none = try s.store.aggregate("company", measures: [.count, .sum("revenue"), .sum("employees"), .avg("revenue"), .min("employees")], filter: .eq("name", t("nobody")))
        #expect(none[0].values == [i(0), d("0"), i(0), .null, .null])
        let grouped = try s.store.aggregate("company", groupBy: [GroupKey("stage")], measures: [.count], filter: .eq("name", t("nobody")))
        #expect(grouped.isEmpty)
    }

    @Test func sumAndAvgNeedNumericFieldsAndKnownNames() throws {
        let s = try seeded()
        var e = try #require(kernelError { _ = try s.store.aggregate("company", measures: [.sum("name")]) })
        #expect(e.kind == .validation)
        #expect(e.fieldErrors.map(\.field) == ["name"])
        e = try #require(kernelError { _ = try s.store.aggregate("company", measures: [.avg("founded")]) })
        #expect(e.fieldErrors.map(\.field) == ["founded"])
        #expect(kernelError { _ = try s.store.aggregate("company", groupBy: [GroupKey("colour")], measures: [.count]) }?.fieldErrors.map(\.field) == ["colour"])
        #expect(kernelError { _ = try s.store.aggregate("ghost", measures: [.count]) }?.kind == .notFound)
    }
}
