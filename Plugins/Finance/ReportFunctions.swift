import CRMKernel

/// `crm.finance.*` reports: aging, balances and ledger, 回款 vs target, income and expense.
enum ReportFunctions {
    typealias A = FinanceArguments

    /// The aging report as a script value.
    static func agingValue(_ report: AgingReport) -> ScriptValue {
        .table([
            "buckets": .list(report.buckets.map { .value(.text($0)) }),
            "rows": .list(report.rows.map { row in
                .table(["key": .value(row.key), "label": .value(.text(row.label)),
                        "buckets": .list(row.bucketsFen.map { .value(.integer($0)) }), "total_fen": .value(.integer(row.totalFen))])
            }),
            "totals": .list(report.totalsFen.map { .value(.integer($0)) }),
            "total_fen": .value(.integer(report.totalFen)),
        ])
    }

    static var all: [ScriptFunction] {
        [
            ScriptFunction("aging", summary: "crm.finance.aging{as_of?, by? = \"customer\"|\"rep\"|\"team\", owner?} → {buckets, rows = {{key, label, buckets, total_fen}}, totals, total_fen}",
                           effect: .read, access: .read("payment_plan")) { call in
                let asOf = try A.day(call, call[0], "as_of", entity: "payment_plan")
                let by = A.text(call[0], "by") ?? "customer"
                return agingValue(try call.read { try AgingReport.build($0, asOf: asOf, by: by, owner: call[0].fields?["owner"]?.integer) })
            },
            ScriptFunction("aging_installments", summary: "crm.finance.aging_installments{as_of?, by, key} → the open installments of one row (drill-down)",
                           effect: .read, access: .read("payment_plan")) { call in
                let asOf = try A.day(call, call[0], "as_of", entity: "payment_plan")
                let by = A.text(call[0], "by") ?? "customer"
                let key: Value = if case .value(let v)? = call[0].fields?["key"] { v } else { .null }
                return try call.read { reader in
                    .list(try AgingReport.installments(reader, asOf: asOf, by: by, key: key).map { PaymentFunctions.planValue($0, reader) })
                }
            },
            ScriptFunction("balances", summary: "crm.finance.balances{from?, to?} → {{account, name, opening_fen, in_fen, out_fen, closing_fen}, ...}",
                           effect: .read, access: .read("fund_movement")) { call in
                let to = try A.day(call, call[0], "to", entity: "fund_movement")
                let from = try A.text(call[0], "from").map { try FinanceDates.require($0, field: "from", entity: "fund_movement") }
                return .list(try call.read { try FundLedger.balances($0, from: from, to: to) }.map { b in
                    A.table(["account": .integer(b.account), "name": .text(b.name), "opening_fen": .integer(b.openingFen), "in_fen": .integer(b.inFen),
                             "out_fen": .integer(b.outFen), "closing_fen": .integer(b.closingFen)])
                })
            },
            ScriptFunction("ledger", summary: "crm.finance.ledger(account_id, {from?, to?}) → the 收支明细 with balance_fen after each movement",
                           effect: .read, access: .read("fund_movement")) { call in
                let account = try A.id(call, 0, "ledger", "a fund account")
                let to = try A.day(call, call[1], "to", entity: "fund_movement")
                let from = try A.text(call[1], "from").map { try FinanceDates.require($0, field: "from", entity: "fund_movement") }
                return .list(try call.read { try FundLedger.ledger($0, account: account, from: from, to: to) }.map { entry in
                    var t = entry.movement.values.mapValues(ScriptValue.value)
                    t["id"] = .value(.integer(entry.movement.id))
                    t["amount_fen"] = .value(.integer(FinanceMoney.fen(entry.movement["amount"])))
                    t["balance_fen"] = .value(.integer(entry.balanceFen))
                    return .table(t)
                })
            },
            ScriptFunction("collection_report", summary: "crm.finance.collection_report{from = \"2026-01\", to = \"2026-12\", by? = \"month\"|\"rep\"|\"team\"} → {rows = {{key, label, target_fen, received_fen, rate}}, target_fen, received_fen, rate}",
                           effect: .read, access: .read("payment")) { call in
                guard let from = A.text(call[0], "from"), let to = A.text(call[0], "to") else {
                    throw KernelError.invalid("payment", field: "from", "crm.finance.collection_report needs from and to months (YYYY-MM)")
                }
                let rows = try call.read { try FinanceReports.collection($0, from: from, to: to, by: A.text(call[0], "by") ?? "month") }
                let target = rows.reduce(Int64(0)) { $0 + $1.targetFen }, received = rows.reduce(Int64(0)) { $0 + $1.receivedFen }
                return .table([
                    "rows": .list(rows.map { r in
                        A.table(["key": r.key, "label": .text(r.label), "target_fen": .integer(r.targetFen), "received_fen": .integer(r.receivedFen), "rate": .text(r.rate)])
                    }),
                    "target_fen": .value(.integer(target)), "received_fen": .value(.integer(received)),
                    "rate": .value(.text(FinanceMoney.percent(received, of: target))),
                ])
            },
            ScriptFunction("income_expense", summary: "crm.finance.income_expense{from, to} → {{month, category, in_fen, out_fen}, ...} (from the fund movements)",
                           effect: .read, access: .read("fund_movement")) { call in
                let from = try A.day(call, call[0], "from", entity: "fund_movement"), to = try A.day(call, call[0], "to", entity: "fund_movement")
                return .list(try call.read { try FinanceReports.incomeExpense($0, from: from, to: to) }.map { r in
                    A.table(["month": .text(r.month), "category": .text(r.category), "in_fen": .integer(r.inFen), "out_fen": .integer(r.outFen)])
                })
            },
            ScriptFunction("expenses_by_customer", summary: "crm.finance.expenses_by_customer{from, to} → {{customer, label, amount_fen}, ...} (paid expense lines: cost of sale)",
                           effect: .read, access: .read("expense_line")) { call in
                let from = try A.day(call, call[0], "from", entity: "expense_line"), to = try A.day(call, call[0], "to", entity: "expense_line")
                return .list(try call.read { try FinanceReports.expensesByCustomer($0, from: from, to: to) }.map { r in
                    A.table(["customer": r.key, "label": .text(r.label), "amount_fen": .integer(r.fen)])
                })
            },
            ScriptFunction("send_reminders", summary: "crm.finance.send_reminders(today?) → how many due/overdue reminders were new (the job's work, for administrators)",
                           effect: .write, access: .administrator) { call in
                let today = try call[0].text.map { try FinanceDates.require($0, field: "today", entity: "payment_plan") }
                return .value(.integer(Int64(try call.write { tx in try DueReminders.run(tx, today: today ?? (try OrderDay.today(tx))) })))
            },
        ]
    }
}
