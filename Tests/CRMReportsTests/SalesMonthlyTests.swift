import CRMKernel
import CRMReports
import Foundation
import Testing

/// The stock 销售业绩月报 and the spec engine behind every script and saved report.
struct SalesMonthlyTests {
    func cell(_ t: ReportTable, _ row: Int, _ column: String) -> Value { t.rows[row][t.columnIndex(column)!] }

    @Test func salesMonthlyGroupsByEmployeeWithAmountAndCollectionRate() throws {
        let f = try ReportFixture()
        let t = try f.workspace.runReport("sales_monthly", parameters: ["period": "2026-11"], as: nil)
        #expect(t.title == "销售业绩月报")
        #expect(t.columns.map(\.label) == ["员工姓名", "订单数", "成交金额", "已回款", "回款率", "平均订单金额"])
        // Sorted by amount, descending; the draft and the December order are left out; a totals row last.
        #expect(t.rows.map { $0[0].description } == ["李娜", "王强", "赵敏", "合计"])
        #expect(cell(t, 0, "orders") == .integer(2))
        #expect(cell(t, 0, "amount").decimalValue == Decimal(string: "40000"))
        #expect(cell(t, 0, "collection_rate").decimalValue == 25)
        #expect(cell(t, 1, "collection_rate").decimalValue == 100)
        #expect(cell(t, 3, "amount").decimalValue == Decimal(string: "65000"))
        #expect(cell(t, 3, "collection_rate").decimalValue == Decimal(string: "50"))  // 32,500 / 65,000
        #expect(ReportRenderer.text(t).contains("25.00%"))
    }

    @Test func teamParameterKeepsTheTeamsMembers() throws {
        let f = try ReportFixture()
        let t = try f.workspace.runReport("sales_monthly", parameters: ["period": "2026-11", "team": "华南销售部"], as: nil)
        #expect(t.rows.map { $0[0].description } == ["李娜", "王强", "合计"])
        #expect(t.arguments.contains { $0.name == "team" && $0.value == "华南销售部" })
    }

    @Test func aRepSeesOnlyTheirOwnOrders() throws {
        let f = try ReportFixture()
        let t = try f.workspace.runReport("sales_monthly", parameters: ["period": "2026-11"], as: try f.access("li"))
        #expect(t.rows.map { $0[0].description } == ["李娜", "合计"])
    }

    @Test func aFieldHiddenFromTheCallerCannotBeSummed() throws {
        let f = try ReportFixture(extraScript: "")
        let viewer = try f.access("viewer")
        let spec = ReportSpec(entity: "order", measures: [ReportSpec.Measure("received", "sum", field: "received")])
        try f.workspace.saveReport("received_total", spec: spec, as: f.access("admin"))
        do {
            _ = try f.workspace.runReport("received_total", as: viewer)
            Issue.record("a hidden field was summed")
        } catch let e as KernelError {
            // The kernel does not disclose a hidden field: it is refused as unknown to this caller.
            #expect(e.fieldErrors.first?.field == "received" || e.message.contains("received"), "\(e)")
        }
        // The same report without the hidden field runs.
        try f.workspace.saveReport("order_count", spec: ReportSpec(entity: "order", measures: [ReportSpec.Measure("n", "count")]), as: f.access("admin"))
        #expect(try f.workspace.runReport("order_count", as: viewer).rows == [[.integer(6)]])
    }

    @Test func groupsByQuarterAndMonthOfADateField() throws {
        let f = try ReportFixture(extraScript: """
            crm.report("by_quarter", { entity = "order", group_by = { { "signed_date", by = "quarter" }, { "owner" } },
              filters = { { "status", "ne", "草稿" } }, measures = { { name = "n", count = true }, { name = "max", max = "total" } } })
            """)
        let t = try f.workspace.runReport("by_quarter", as: nil)
        #expect(t.rows.map { [$0[0].description, $0[1].description, $0[2].description] } ==
                [["2026-Q4", "李娜", "3"], ["2026-Q4", "王强", "1"], ["2026-Q4", "赵敏", "1"], ["合计", "", "5"]])
        #expect(cell(t, 0, "max").decimalValue == 30000)
        let months = try ReportFixture(extraScript: """
            crm.report("by_month", { entity = "order", group_by = { { "signed_date", by = "month" } },
              filters = { { "status", "ne", "草稿" } }, measures = { { name = "n", count = true } }, chart = "line" })
            """)
        let m = try months.workspace.runReport("by_month", as: nil)
        #expect(m.rows.map { [$0[0].description, $0[1].description] } == [["2026-11", "4"], ["2026-12", "1"], ["合计", "5"]])
        #expect(ReportChartSVG.render(m)?.contains("<polyline") == true)
    }

    @Test func aParameterOfTheWrongTypeIsRefusedNamingIt() throws {
        let f = try ReportFixture(orders: false)
        do {
            _ = try f.workspace.runReport("sales_monthly", parameters: ["period": "十一月"], as: nil)
            Issue.record("a bad period ran")
        } catch let e as KernelError {
            #expect(e.kind == .validation)
            #expect(e.fieldErrors.first?.field == "period")
        }
        #expect(throws: KernelError.self) { _ = try f.workspace.runReport("sales_monthly", parameters: ["colour": "red"], as: nil) }
        #expect(throws: KernelError.self) { _ = try f.workspace.runReport("sales_monthly", parameters: ["team": "不存在的团队"], as: nil) }
    }

    @Test func periodsSpelledEveryWay() {
        #expect(ReportPeriod.range("2026-Q4", today: "2026-12-02")! == ("2026-10-01", "2026-12-31"))
        #expect(ReportPeriod.range("this_month", today: "2026-12-02")! == ("2026-12-01", "2026-12-31"))
        #expect(ReportPeriod.range("last_month", today: "2026-01-15")! == ("2025-12-01", "2025-12-31"))
        #expect(ReportPeriod.range("last_quarter", today: "2026-02-01")! == ("2025-10-01", "2025-12-31"))
        #expect(ReportPeriod.range("2024-02", today: "2026-12-02")! == ("2024-02-01", "2024-02-29"))
        #expect(ReportPeriod.range("2026-01-01..2026-03-31", today: "2026-12-02")! == ("2026-01-01", "2026-03-31"))
        #expect(ReportPeriod.range("2026-13", today: "2026-12-02") == nil)
        #expect(ReportPeriod.range("2026-02-30", today: "2026-12-02") == nil)
    }
}
