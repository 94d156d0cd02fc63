import CRMKernel
@testable import CRMPayroll
import CRMScripting
import Foundation
import Testing

/// The stock plans in Lua: slab and marginal tiers (named and different), flat, category rates,
/// the accelerator above target, and plans that fail or go negative without a reason refused.
struct PlanTests {
    static let company = """
    crm.payroll.plans{
      slab = { type = "tiered", base = "receipt", mode = "slab", tiers = { { upto = 5000000, rate = 200 }, { upto = 20000000, rate = 300 }, { rate = 500 } } },
      marginal = { type = "tiered", base = "receipt", mode = "marginal", tiers = { { upto = 5000000, rate = 200 }, { upto = 20000000, rate = 300 }, { rate = 500 } } },
      flat = { type = "flat", base = "margin", rate = 1000 },
      by_category = { type = "rates", base = "amount", default = 100, categories = { ["软件"] = 500 } },
      accelerated = { type = "flat", base = "receipt", rate = 200, accelerator = { target = "receipts", rate = 300, stretch_rate = 500 } },
      broken = { type = "broken" },
      negative = { type = "negative" },
    }
    local stock = require("lib.commission")
    crm.policy("payroll.commission", function(a)
      if a.plan.type == "broken" then error("no such rate table") end
      if a.plan.type == "negative" then return { lines = { { label = "倒扣", amount = -100 } } } end
      return stock.compute(a)
    end)
    """

    func commission(_ f: PayrollFixture, _ month: String, user: String = "rep") throws -> CommissionResult {
        try f.store.write(as: .system) { tx in
            var c = CommissionCalculator(reader: tx.reader, policy: { try tx.policy($0, $1) })
            return try c.commission(user: f.ids[user]!, month: month)
        }
    }

    @Test func slabAppliesTheReachedRateToAllWhileMarginalRatesEachBand() throws {
        let f = try PayrollFixture(company: Self.company)
        try f.credit("rep", day: "2026-11-03", kind: "receipt", base: "receipt", fen: 5_000_000)
        try f.credit("rep", day: "2026-11-20", kind: "receipt", base: "receipt", fen: 3_000_000)
        try f.credit("rep", day: "2026-11-21", kind: "order", base: "sales", fen: 99_900_000)  // not a receipt: not counted
        try f.rule("slab", to: "2026-10-31")
        try f.rule("marginal", from: "2026-11-01")
        // 80,000 of receipts: slab → 3 % of all = 2,400; marginal → 50,000 × 2 % + 30,000 × 3 % = 1,900.
        #expect(try commission(f, "2026-11").total == 190_000)
        let marginal = try commission(f, "2026-11").lines[0].explain
        #expect(marginal.contains("超额累进") && marginal.contains("1900.00"), "\(marginal)")
        try f.store.write(as: .system) { tx in
            for r in try tx.reader.find(Query("commission_rule")).records { try tx.delete("commission_rule", r.id) }
            _ = try tx.create("commission_rule", ["name": .text("slab"), "plan": .text("slab"), "effective_from": .text("2026-01-01")])
        }
        let slab = try commission(f, "2026-11")
        #expect(slab.total == 240_000 && slab.lines[0].explain.contains("全额累进"), "\(slab.lines)")
    }

    @Test func theVersionInForceForTheMonthIsUsed() throws {
        let f = try PayrollFixture(company: Self.company)
        try f.credit("rep", day: "2026-10-10", kind: "receipt", base: "receipt", fen: 8_000_000)
        try f.credit("rep", day: "2026-11-10", kind: "receipt", base: "receipt", fen: 8_000_000)
        try f.rule("slab", from: "2026-01-01", version: 1, to: "2026-10-31")
        try f.rule("marginal", from: "2026-11-01", version: 2)
        #expect(try commission(f, "2026-10").total == 240_000)
        #expect(try commission(f, "2026-11").total == 190_000)
        #expect(try commission(f, "2026-11").rule?["plan_version"] == .integer(2))
    }

    @Test func flatOnMarginAndRatesByCategory() throws {
        let f = try PayrollFixture(company: Self.company)
        let software = try f.store.write(as: .system) { try $0.create("product_category", ["name": .text("软件")]).id }
        try f.store.write(as: .system) { tx in
            for (cat, fen): (Int64?, Int64) in [(software, 10_000_000), (nil, 5_000_000)] {
                var v: [String: Value] = ["user": .integer(f.ids["rep"]!), "date": .text("2026-11-05"), "kind": .text("order"), "base": .text("sales"),
                                          "amount": Fen.value(fen), "margin": Fen.value(fen / 2)]
                if let cat { v["category"] = .integer(cat) }
                _ = try tx.create("commission_credit", v)
            }
        }
        try f.rule("by_category")
        let rates = try commission(f, "2026-11")
        // 软件 100,000 × 5 % = 5,000; the rest 50,000 × 1 % = 500.
        #expect(rates.total == 550_000 && rates.lines.count == 2, "\(rates.lines)")
        try f.rule("flat", from: "2026-02-01")
        #expect(try commission(f, "2026-11").total == 750_000, "margin 75,000 × 10 %")
    }

    @Test func theAcceleratorPaysMoreAboveTargetAndStretch() throws {
        let f = try PayrollFixture(company: Self.company)
        try f.store.write(as: .system) { tx in
            _ = try tx.create("sales_target", ["user": .integer(f.ids["rep"]!), "period": .text("2026-11"), "kind": .text("回款"), "amount": .decimal(100_000)])
            _ = try tx.create("sales_target", ["user": .integer(f.ids["rep"]!), "period": .text("2026-Q4"), "kind": .text("回款"),
                                               "level": .text("冲刺"), "amount": .decimal(450_000)])
        }
        try f.credit("rep", day: "2026-11-05", kind: "receipt", base: "receipt", fen: 20_000_000)
        try f.rule("accelerated")
        // 200,000 × 2 % = 4,000; above the 100,000 target: 100,000 × 3 % = 3,000; above the
        // stretch (450,000 / 3 = 150,000 for the month): 50,000 × 5 % = 2,500.
        let r = try commission(f, "2026-11")
        #expect(r.lines.map(\.amount) == [400_000, 300_000, 250_000], "\(r.lines)")
    }

    @Test func aFailingPlanOrANegativeLineWithoutReasonIsRefusedAndNothingIsWritten() throws {
        let f = try PayrollFixture(company: Self.company)
        try f.credit("rep", day: "2026-11-05", kind: "receipt", base: "receipt", fen: 1_000_000)
        try f.rule("broken")
        let broken = kernelError { _ = try f.write(as: "zhaomin") { try PayrollRuns.run($0, month: "2026-11", correction: false, dryRun: false) } }
        #expect(broken?.kind == .scriptFailed && broken?.message.contains("no such rate table") == true, "\(broken?.message ?? "")")
        #expect(try f.store.count("payroll_run") == 0 && f.store.count("payslip") == 0)
        try f.rule("negative", from: "2026-06-01")
        let negative = kernelError { _ = try f.write(as: "zhaomin") { try PayrollRuns.run($0, month: "2026-11", correction: false, dryRun: false) } }
        #expect(negative?.message.contains("without a clawback reason") == true, "\(negative?.message ?? "")")
        #expect(try f.store.count("payroll_run") == 0)
    }

    @Test func simulateAndExplainFromLuaWriteNothing() throws {
        let f = try PayrollFixture()
        try f.rule("receipts_marginal")
        try f.credit("rep", day: "2026-11-05", kind: "receipt", base: "receipt", fen: 8_000_000)
        let console = Console(host: f.host) { _ in }
        try f.host.engine.act(as: "rep")
        let total = console.evaluate("return crm.payroll.simulate(\(f.ids["rep"]!), '2026-11').total")
        #expect(total.output == "190000", "\(total.error ?? "")")
        let text = console.evaluate("return table.concat(crm.payroll.explain(\(f.ids["rep"]!), '2026-11'), '\\n')")
        #expect(text.output.contains("提成工资合计：1900.00"), "\(text.output) \(text.error ?? "")")
        #expect(console.evaluate("return crm.payroll.simulate(\(f.ids["rep2"]!), '2026-11').total").error != nil, "a rep cannot simulate a colleague's pay")
        #expect(console.evaluate("return crm.payroll.simulate(\(f.ids["rep"]!), '2026-13')").error?.contains("month") == true)
        #expect(try f.store.count("payroll_run") == 0 && f.store.count("payslip") == 0)
    }
}
