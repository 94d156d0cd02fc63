import CRMKernel
import Foundation

/// `crm payroll run MONTH [--dry-run] [--correction]`, `crm payroll explain PAYSLIP_ID`.
enum PayrollCommands {
    static var all: [PluginCommand] { [run, explain] }

    /// `crm payroll run 2026-11 [--dry-run] [--correction]`.
    static var run: PluginCommand {
        PluginCommand(["run"], summary: "Compute a month's payroll (a run in 核算完成 with payslips); --dry-run shows it without writing.",
                      arguments: [CommandArgument("MONTH", help: "The month, YYYY-MM.")],
                      flags: [CommandFlag("dry-run", help: "Compute and print, write nothing."),
                              CommandFlag("correction", help: "A 补发/补扣 run of a month already approved or paid.")],
                      actsAsUser: true) { context in
            let month = try PayPeriod.month(context.arguments.argument("MONTH"), field: "MONTH")
            let dry = context.arguments.flag("dry-run")
            let outcome = try context.store.write(as: context.user, access: context.access) { tx in
                try tx.access.require(.create, on: "payroll_run")
                return try PayrollRuns.run(tx, month: month, correction: context.arguments.flag("correction"), dryRun: dry)
            }
            let names = try context.store.read { r in
                try Dictionary(outcome.payslips.map { ($0.user, try r.get("user", $0.user)?["name"].description ?? String($0.user)) }) { a, _ in a }
            }
            context.output.table(header: ["user", "base", "commission", "gross", "insurance", "fund", "tax", "net"], rows: outcome.payslips.map { s in
                [names[s.user] ?? "", MoneyText.yuan(s.baseSalary), MoneyText.yuan(s.commission), MoneyText.yuan(s.gross), MoneyText.yuan(s.insuranceEmployee),
                 MoneyText.yuan(s.fundEmployee), MoneyText.yuan(s.tax), MoneyText.yuan(s.net)]
            })
            let head = dry ? "dry run, nothing written:" : "run \(outcome.run?.id ?? 0) (\(outcome.kind), 核算完成):"
            context.output.line("\(head) \(month) \(outcome.payslips.count) payslip(s), gross \(MoneyText.yuan(outcome.gross)), tax \(MoneyText.yuan(outcome.tax)), net \(MoneyText.yuan(outcome.net))")
        }
    }

    /// `crm payroll explain PAYSLIP_ID`.
    static var explain: PluginCommand {
        PluginCommand(["explain"], summary: "Explain a payslip line by line (commission, contributions, 个税).",
                      arguments: [CommandArgument("PAYSLIP_ID", help: "The payslip's id.")], actsAsUser: true) { context in
            let id = try context.arguments.integer("PAYSLIP_ID")
            let lines = try context.store.read(as: context.access) { r in
                guard let slip = try r.get("payslip", id) else { throw KernelError.recordNotFound("payslip", id) }
                return Explanation.payslip(slip, table: TaxTable.current(r.schema))
            }
            lines.forEach(context.output.line)
        }
    }
}
