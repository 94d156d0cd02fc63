import CRMKernel
import Foundation

/// `crm.payroll.*` (and `POST /api/v1/actions/payroll/<name>`): run, submit, pay, simulate,
/// explain, attainment, adjust, payslip, cost, diff. Money in and out in whole fen.
enum PayrollScriptFunctions {
    static var all: [ScriptFunction] { [run, submit, pay, simulate, explain, attainment, adjust, payslip, cost, diff] }

    /// `crm.payroll.run(month[, {dry_run = true, correction = true}])`.
    static var run: ScriptFunction {
        ScriptFunction("run", summary: "Compute a month's payroll ('2026-11'[, {dry_run = true, correction = true}]): a run in 核算完成 with its payslips",
                       effect: .write, access: .create("payroll_run")) { call in
            let month = try PayPeriod.month(call[0].text, field: "month")
            let dry = call[1].fields?["dry_run"] == .value(.bool(true)), correction = call[1].fields?["correction"] == .value(.bool(true))
            let outcome = try call.write { tx in try PayrollRuns.run(tx, month: month, correction: correction, dryRun: dry) }
            return summary(outcome)
        }
    }

    /// A run's outcome for Lua and the API.
    static func summary(_ o: PayrollRuns.Outcome) -> ScriptValue {
        var t: [String: ScriptValue] = ["kind": .value(.text(o.kind)), "headcount": .value(.integer(Int64(o.payslips.count))),
                                        "gross": .value(.integer(o.gross)), "tax": .value(.integer(o.tax)), "net": .value(.integer(o.net)),
                                        "employer_cost": .value(.integer(o.employerCost)), "payslips": .list(o.payslips.map(\.scriptValue))]
        if let run = o.run { t["run"] = .value(.integer(run.id)); t["status"] = .value(run["status"]) }
        return .table(t)
    }

    /// `crm.payroll.submit(run_id)`.
    static var submit: ScriptFunction {
        ScriptFunction("submit", summary: "Submit a run in 核算完成 for approval (审批中, payslips locked)",
                       effect: .write, access: .update("payroll_run", recordArguments: [0])) { call in
            let id = try recordID(call, 0, "submit", "a payroll_run")
            return .record(try call.write { tx in
                _ = try Approvals.submit("payroll_run", id, in: tx)
                return try tx.reader.system.get("payroll_run", id) ?? Record(entity: "payroll_run", id: id, values: [:])
            })
        }
    }

    /// `crm.payroll.pay(run_id[, "YYYY-MM-DD"])`.
    static var pay: ScriptFunction {
        ScriptFunction("pay", summary: "Mark an approved run paid (已发放) on a day (default today)",
                       effect: .write, access: .update("payroll_run", recordArguments: [0])) { call in
            let id = try recordID(call, 0, "pay", "a payroll_run")
            if let day = call[1].text, !PayPeriod.isDay(day) { throw KernelError.invalid("payroll_run", field: "paid_on", "expects YYYY-MM-DD, got '\(day)'") }
            return .record(try call.write { tx in try PayrollApprovals.pay(tx, id, day: try call[1].text ?? PayPeriod.day(tx.now, tx.reader)) })
        }
    }

    /// `crm.payroll.simulate(user, month)`.
    static var simulate: ScriptFunction {
        ScriptFunction("simulate", summary: "Run the plan in force over a person's ledger for any month and return the commission lines; writes nothing",
                       effect: .write, access: .read("commission_credit")) { call in
            let (user, month) = try person(call)
            return try call.write { tx in
                try seesPay(tx, user)
                var calc = CommissionCalculator(reader: tx.reader, policy: { try tx.policy($0, $1) })
                let r = try calc.commission(user: user, month: month)
                return .table(["user": .value(.integer(user)), "period": .value(.text(month)), "total": .value(.integer(r.total)),
                               "plan": .value(r.plan.map(Value.text) ?? .null), "rule": .value(r.rule.map { Value.integer($0.id) } ?? .null),
                               "lines": .list(r.lines.map(\.scriptValue))])
            }
        }
    }

    /// `crm.payroll.explain(payslip_id)` or `crm.payroll.explain(user, month)`.
    static var explain: ScriptFunction {
        ScriptFunction("explain", summary: "Explain line by line how a payslip's figures (or a person's commission for a month) came about",
                       effect: .write, access: .read("commission_credit")) { call in
            let lines: [String]
            if call[1] == .null {
                let id = try recordID(call, 0, "explain", "a payslip")
                lines = try call.write { tx in
                    guard let slip = try tx.reader.get("payslip", id) else { throw KernelError.recordNotFound("payslip", id) }
                    return Explanation.payslip(slip, table: TaxTable.current(tx.schema))
                }
            } else {
                let (user, month) = try person(call)
                lines = try call.write { tx in
                    try seesPay(tx, user)
                    var calc = CommissionCalculator(reader: tx.reader, policy: { try tx.policy($0, $1) })
                    return Explanation.commission(try calc.commission(user: user, month: month), month: month)
                }
            }
            return .list(lines.map { .value(.text($0)) })
        }
    }

    /// `crm.payroll.attainment(period[, "person"|"team"])`.
    static var attainment: ScriptFunction {
        ScriptFunction("attainment", summary: "Target attainment for a month, quarter or year, by person (with commission paid) or team",
                       effect: .read, access: .read("sales_target")) { call in
            guard let period = call[0].text, PayPeriod.months(of: period).allSatisfy({ (try? PayPeriod.month($0)) != nil }) else {
                throw KernelError.invalid("sales_target", field: "period", "expects 2026-11, 2026-Q4 or 2026")
            }
            let rows = try call.read { try Targets.attainment($0, period: period, by: call[1].text ?? "person") }
            return .list(rows.map(\.scriptValue))
        }
    }

    /// `crm.payroll.adjust{user =, amount = fen, base = "sales"|"receipt", reason =, date =, order =}`.
    static var adjust: ScriptFunction {
        ScriptFunction("adjust", summary: "Add a manual adjustment (fen, with a reason) to a person's credit ledger",
                       effect: .write, access: .create("commission_credit")) { call in
            guard let t = call[0].fields else { throw KernelError(.validation, "crm.payroll.adjust needs a table {user =, amount = fen, reason =}") }
            guard let user = t["user"]?.integer else { throw KernelError.invalid("commission_credit", field: "user", "a user id is required") }
            guard let amount = t["amount"]?.integer else { throw KernelError.invalid("commission_credit", field: "amount", "whole fen (an integer) required") }
            let base = t["base"]?.text ?? "sales"
            return .record(try call.write { tx in
                let day = try t["date"]?.text ?? PayPeriod.day(tx.now, tx.reader)
                guard PayPeriod.isDay(day) else { throw KernelError.invalid("commission_credit", field: "date", "expects YYYY-MM-DD, got '\(day)'") }
                let order = try t["order"]?.integer.map { id in
                    guard let o = try tx.reader.get("order", id) else { throw KernelError.invalid("commission_credit", field: "order", "no order \(id)") }
                    return o
                }
                return try CreditLedger.write(tx, user: user, day: day, kind: "adjustment", base: base, amount: amount, share: nil, order: order,
                                              reason: t["reason"]?.text, event: nil)
            })
        }
    }

    /// `crm.payroll.payslip(id)`: one's own payslip, marked read.
    static var payslip: ScriptFunction {
        ScriptFunction("payslip", summary: "Read a payslip (one's own) and mark it read",
                       effect: .write, access: .read("payslip", recordArguments: [0])) { call in
            let id = try recordID(call, 0, "payslip", "a payslip")
            return .record(try call.write { tx in
                guard let slip = try tx.reader.get("payslip", id) else { throw KernelError.recordNotFound("payslip", id) }
                guard slip["user"].integerValue == tx.user.id, slip["read"] != .bool(true) else { return slip }
                _ = try tx.asSystem { try tx.update("payslip", id, ["read": .bool(true), "read_at": .datetime(tx.now)]) }
                return try tx.reader.get("payslip", id) ?? slip
            })
        }
    }

    /// `crm.payroll.cost(from_month, to_month)`.
    static var cost: ScriptFunction {
        ScriptFunction("cost", summary: "Payroll cost (gross, tax, net, employer cost in fen) by team and month over locked runs",
                       effect: .read, access: .read("payroll_run")) { call in
            let from = try PayPeriod.month(call[0].text, field: "from"), to = try PayPeriod.month(call[1].text ?? call[0].text, field: "to")
            return .list(try call.read { try PayrollReports.cost($0, from: from, to: to) })
        }
    }

    /// `crm.payroll.diff(run_a, run_b)`.
    static var diff: ScriptFunction {
        ScriptFunction("diff", summary: "The per-person difference of two runs (b − a, fen)", effect: .read, access: .read("payroll_run")) { call in
            let a = try recordID(call, 0, "diff", "a payroll_run"), b = try recordID(call, 1, "diff", "a second payroll_run")
            return .list(try call.read { try PayrollReports.diff($0, a, b) })
        }
    }

    static func recordID(_ call: ScriptCall, _ index: Int, _ function: String, _ what: String) throws -> Int64 {
        guard let id = call[index].integer else { throw KernelError(.validation, "crm.payroll.\(function) needs \(what) id (argument \(index + 1))") }
        return id
    }

    /// `(user, month)` from the first two arguments.
    static func person(_ call: ScriptCall) throws -> (Int64, String) {
        guard let user = call[0].integer else { throw KernelError.invalid("commission_credit", field: "user", "a user id is required (argument 1)") }
        return (user, try PayPeriod.month(call[1].text, field: "month"))
    }

    /// Another person's pay is for those who run payroll.
    static func seesPay(_ tx: WriteContext, _ user: Int64) throws {
        guard user != tx.user.id, !tx.caller.isAdministrator else { return }
        try tx.caller.require(.create, on: "payroll_run")
    }
}
