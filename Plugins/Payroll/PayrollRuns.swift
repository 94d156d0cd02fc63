import CRMKernel
import Foundation

/// Computes a month's payroll for every active employee (`pay_profile.active` not false) and,
/// unless it is a dry run, writes the run (核算完成) and its payslips in the caller's transaction.
///
/// A 正常 run of a month whose run is 审批中, 已审批 or 已发放 is refused; a month's run still in
/// 草稿 or 核算完成 is recomputed in place. A 补发/补扣 run (kind `correction`) needs a locked run of
/// the month and holds the differences between the month computed now and what was paid.
enum PayrollRuns {
    /// What a run computed.
    struct Outcome {
        var run: Record?
        var kind: String
        var payslips: [PayslipFigures]
        var gross: Int64 { payslips.reduce(0) { $0 + $1.gross } }
        var tax: Int64 { payslips.reduce(0) { $0 + $1.tax } }
        var net: Int64 { payslips.reduce(0) { $0 + $1.net } }
        var employerCost: Int64 { payslips.reduce(0) { $0 + $1.employerCost } }
    }

    /// Runs `month`; `correction` makes a 补发/补扣 run; `dryRun` writes nothing.
    static func run(_ tx: WriteContext, month monthText: String, correction: Bool, dryRun: Bool) throws -> Outcome {
        let month = try PayPeriod.month(monthText)
        try tx.access.require(.create, on: "payroll_run")
        let runs = try tx.reader.system.find(Query("payroll_run", filter: .eq("period", .text(month)), sort: [SortKey("id")], limit: 1_000)).records
        let locked = runs.filter { PayrollEntities.lockedStatuses.contains($0["status"].textValue ?? "") }
        let open = runs.filter { !PayrollEntities.lockedStatuses.contains($0["status"].textValue ?? "") }
        if correction {
            guard !locked.isEmpty else {
                throw KernelError(.invalidState, "payroll for \(month) has no approved run to correct; run it normally first")
            }
        } else if let done = locked.first(where: { $0["kind"].textValue == "正常" }) {
            throw KernelError(.conflict, "payroll for \(month) is already \(done["status"].description) (run \(done.id)); a correction is a new run of kind 补发/补扣 (crm payroll run \(month) --correction)")
        }
        var calculator = CommissionCalculator(reader: tx.reader, policy: { try tx.policy($0, $1) })
        let profiles = try tx.reader.system.find(Query("pay_profile", sort: [SortKey("user")], limit: 1_000_000)).records
            .filter { $0["active"] != .bool(false) }
        var slips: [PayslipFigures] = []
        for profile in profiles {
            guard let user = profile["user"].integerValue else { continue }
            var f = try figures(tx.reader, &calculator, profile: profile, user: user, month: month)
            if correction {
                let paid = try tx.reader.system.find(Query("payslip", filter: .all([.eq("user", .integer(user)), .eq("period", .text(month)),
                                                                                    .eq("locked", .bool(true))]), limit: 100)).records
                f = paid.reduce(f) { $0.minus($1) }
                if f.isZero { continue }
            }
            f.withholding = try withholding(tx.reader, figures: f, month: month)
            if f.net < 0, !f.lines.contains(where: { $0.clawback != nil }) {
                throw KernelError.invalid("payslip", field: "net", "user \(user): net pay for \(month) would be \(MoneyText.yuan(f.net)) (negative) without a clawback reason")
            }
            slips.append(f)
        }
        var outcome = Outcome(run: nil, kind: correction ? "补发" : "正常", payslips: slips)
        if correction { outcome.kind = outcome.net >= 0 ? "补发" : "补扣" }
        guard !dryRun else { return outcome }
        outcome.run = try tx.asSystem { try write(tx, outcome, month: month, reuse: open.first { ($0["kind"].textValue == "正常") == !correction }) }
        return outcome
    }

    /// One employee's figures before tax.
    static func figures(_ reader: RecordReader, _ calculator: inout CommissionCalculator, profile: Record, user: Int64, month: String) throws -> PayslipFigures {
        let person = try reader.system.get("user", user)
        var f = PayslipFigures(user: user, team: person?["team"].integerValue)
        f.baseSalary = Fen.of(profile["base_salary"])
        f.allowance = Fen.of(profile["allowance"])
        f.specialDeduction = Fen.of(profile["special_deduction"])
        let commission = try calculator.commission(user: user, month: month)
        f.lines = commission.lines
        f.commission = commission.total
        for item in try reader.system.find(Query("pay_item", filter: .all([.eq("user", .integer(user)), .eq("period", .text(month))]), limit: 1_000)).records {
            let fen = Fen.of(item["amount"])
            switch item["kind"].textValue {
            case "bonus": f.bonus += fen
            case "allowance": f.allowance += fen
            case "deduction": f.deduction += fen
            default: break
            }
        }
        let c = Contributions(InsuranceRules.current(reader.schema).city(profile["city"].textValue),
                              insuranceBase: Fen.of(profile["insurance_base"]), fundBase: Fen.of(profile["fund_base"]))
        f.insuranceEmployee = c.insuranceEmployee; f.insuranceEmployer = c.insuranceEmployer
        f.fundEmployee = c.fundEmployee; f.fundEmployer = c.fundEmployer
        return f
    }

    /// 累计预扣法 over the year's locked payslips up to `month` plus these figures.
    static func withholding(_ reader: RecordReader, figures f: PayslipFigures, month: String) throws -> Withholding {
        let year = String(month.prefix(4))
        let earlier = try reader.system.find(Query("payslip", filter: .all([
            .eq("user", .integer(f.user)), .eq("locked", .bool(true)),
            .condition(field: "period", op: .ge, value: .text(year + "-01")), .condition(field: "period", op: .le, value: .text(month))]),
            limit: 10_000)).records
        let months = Set(earlier.compactMap { $0["period"].textValue } + [month])
        let sum = { (field: String) in earlier.reduce(Int64(0)) { $0 + Fen.of($1[field]) } }
        return Withholding(table: TaxTable.current(reader.schema), months: Int64(months.count),
                           income: sum("gross") + f.gross,
                           insurance: sum("insurance_employee") + sum("fund_employee") + f.insuranceEmployee + f.fundEmployee,
                           special: sum("special_deduction") + f.specialDeduction, withheldBefore: sum("tax"))
    }

    /// Writes the run and its payslips (replacing an open run's payslips).
    static func write(_ tx: WriteContext, _ o: Outcome, month: String, reuse: Record?) throws -> Record {
        let totals: [String: Value] = ["status": .text("核算完成"), "headcount": .integer(Int64(o.payslips.count)), "gross": Fen.value(o.gross),
                                       "tax": Fen.value(o.tax), "net": Fen.value(o.net), "employer_cost": Fen.value(o.employerCost)]
        let run: Record
        if let reuse {
            for slip in try tx.reader.system.find(Query("payslip", filter: .eq("run", .integer(reuse.id)), limit: 1_000_000)).records {
                try tx.delete("payslip", slip.id)
            }
            run = try tx.update("payroll_run", reuse.id, totals.merging(["kind": .text(o.kind)]) { $1 })
        } else {
            run = try tx.create("payroll_run", totals.merging(["period": .text(month), "kind": .text(o.kind),
                                                                "title": .text("\(month) 工资\(o.kind == "正常" ? "" : "（\(o.kind)）")")]) { $1 })
        }
        for slip in o.payslips { _ = try tx.create("payslip", slip.payslipValues(run: run.id, period: month, kind: o.kind)) }
        return run
    }
}
