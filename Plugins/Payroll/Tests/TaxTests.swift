import CRMKernel
@testable import CRMPayroll
import CRMScripting
import Foundation
import Testing

/// 个税 by the cumulative withholding method: the stock table's figures, rounding to the fen, a
/// three-month hand calculation through real runs, and tables that overlap or disagree refused.
struct TaxTests {
    @Test func theStandardTableHasTheLawsBracketsAndQuickDeductions() throws {
        let t = TaxTable.standard
        #expect(t.monthlyThreshold * 12 == 6_000_000, "60,000 a year")
        #expect(t.brackets.map(\.rate) == [3, 10, 20, 25, 30, 35, 45])
        #expect(t.brackets.map(\.quick) == [0, 252_000, 1_692_000, 3_192_000, 5_292_000, 8_592_000, 18_192_000])
        // The table parses back (the quick deductions agree with the rates).
        #expect(try TaxTable.parse(t.scriptValue) == t)
        // At each bracket's top the two neighbouring formulas agree (no jump).
        for (lower, upper) in zip(t.brackets, t.brackets.dropFirst()) {
            let top = lower.upto!
            #expect(Fen.share(top, lower.rate, 100) - lower.quick == Fen.share(top, upper.rate, 100) - upper.quick)
        }
        #expect(t.cumulativeTax(1_650) == 50, "16.50 × 3 % = 0.495 → 0.50: half up to the fen")
        #expect(t.cumulativeTax(1_234_567) == 37_037, "12,345.67 × 3 % = 370.3701 → 370.37")
        #expect(t.cumulativeTax(0) == 0 && t.cumulativeTax(-5) == 0)
        #expect(t.cumulativeTax(100_000_000) == 45_000_000 - 18_192_000)
    }

    @Test func overlappingGappedOrInconsistentTablesAreRefused() throws {
        func table(_ brackets: [(Int64, Int64?, Int64, Int64)]) -> ScriptValue {
            .table(["monthly_threshold": .value(.integer(500_000)), "brackets": .list(brackets.map { b in
                var t: [String: ScriptValue] = ["over": .value(.integer(b.0)), "rate": .value(.integer(b.2)), "quick": .value(.integer(b.3))]
                if let upto = b.1 { t["upto"] = .value(.integer(upto)) }
                return .table(t)
            })])
        }
        let overlap = kernelError { _ = try TaxTable.parse(table([(0, 3_600_000, 3, 0), (3_000_000, nil, 10, 252_000)])) }
        #expect(overlap?.message.contains("overlap") == true, "\(overlap?.message ?? "")")
        #expect(kernelError { _ = try TaxTable.parse(table([(0, 3_600_000, 3, 0), (4_000_000, nil, 10, 252_000)])) }?.message.contains("gap") == true)
        #expect(kernelError { _ = try TaxTable.parse(table([(0, 3_600_000, 3, 0), (3_600_000, nil, 10, 250_000)])) }?.message.contains("quick deduction") == true)
        #expect(kernelError { _ = try TaxTable.parse(table([(0, 3_600_000, 3, 0)])) }?.message.contains("last bracket") == true)
        // Through the pack: a company table that overlaps stops the pack with the reason.
        let pack = #expect(throws: ScriptPackError.self) {
            _ = try PayrollFixture(company: """
            crm.payroll.tax{ monthly_threshold = 500000, brackets = { { over = 0, upto = 3600000, rate = 3, quick = 0 },
              { over = 3000000, rate = 10, quick = 252000 } } }
            """)
        }
        #expect(pack?.description.contains("90_company.lua") == true && pack?.description.contains("overlap") == true, "\(pack?.description ?? "")")
    }

    /// 累计预扣法 by hand for a rep (base 10,000, allowance 500, 社保 10.3 % and 公积金 5 % of 10,000
    /// in 深圳 = 1,530, 专项附加扣除 2,000) on the stock 回款 marginal plan (2 % to 50,000, 3 % to
    /// 200,000, 5 % above), October to December 2026, first pay of the year in October:
    /// Oct: receipts 80,000 → 提成 1,000 + 900 = 1,900; 应发 12,400; 累计应纳税所得额
    ///      12,400 − 5,000 − 1,530 − 2,000 = 3,870; tax 3,870 × 3 % = 116.10; 实发 12,400 − 1,530 − 116.10 = 10,753.90.
    /// Nov: receipts 300,000 → 1,000 + 4,500 + 5,000 = 10,500; 应发 21,000; 累计 33,400 − 10,000 − 3,060 − 4,000
    ///      = 16,340; 累计税 490.20; this month 490.20 − 116.10 = 374.10; 实发 19,095.90.
    /// Dec: receipts 2,000,000 → 1,000 + 4,500 + 90,000 = 95,500; 应发 106,000; 累计 139,400 − 15,000 − 4,590
    ///      − 6,000 = 113,810 (10 % bracket); 累计税 11,381 − 2,520 = 8,861; this month 8,861 − 490.20 = 8,370.80;
    ///      实发 106,000 − 1,530 − 8,370.80 = 96,099.20.
    @Test func threeMonthsMatchTheHandCalculation() throws {
        let f = try PayrollFixture(profiles: true)
        try f.rule("receipts_marginal")
        try f.credit("rep", day: "2026-10-15", kind: "receipt", base: "receipt", fen: 8_000_000)
        try f.credit("rep", day: "2026-11-15", kind: "receipt", base: "receipt", fen: 30_000_000)
        try f.credit("rep", day: "2026-12-15", kind: "receipt", base: "receipt", fen: 200_000_000)
        let expected: [(String, Int64, Int64, Int64, Int64)] = [
            ("2026-10", 190_000, 1_240_000, 11_610, 1_075_390),
            ("2026-11", 1_050_000, 2_100_000, 37_410, 1_909_590),
            ("2026-12", 9_550_000, 10_600_000, 837_080, 9_609_920),
        ]
        for (month, commission, gross, tax, net) in expected {
            let slip = try f.payslip(run: try f.closeMonth(month), "rep")
            #expect(Fen.of(slip["commission"]) == commission, "\(month) commission")
            #expect(Fen.of(slip["gross"]) == gross, "\(month) gross")
            #expect(Fen.of(slip["insurance_employee"]) + Fen.of(slip["fund_employee"]) == 153_000)
            #expect(Fen.of(slip["tax"]) == tax, "\(month) tax \(slip["tax"])")
            #expect(Fen.of(slip["net"]) == net, "\(month) net")
        }
        let december = try f.store.read { try $0.find(Query("payslip", filter: .all([.eq("user", .integer(f.ids["rep"]!)), .eq("period", .text("2026-12"))]))).records[0] }
        #expect(Fen.of(december["ytd_taxable"]) == 11_381_000 && Fen.of(december["ytd_tax"]) == 886_100 && december["tax_months"] == .integer(3))
    }
}
