import CRMKernel

/// `crm.finance.*` for plans and receipts (also `POST /api/v1/actions/finance/<name>`).
/// Amounts go in as `amount` (yuan: decimal text or an integer of yuan) or `amount_fen`
/// (integer fen) and come back as decimal text in records plus `*_fen` integers.
enum PaymentFunctions {
    typealias A = FinanceArguments

    /// The order `id` if the caller sees it.
    static func visibleOrder(_ call: ScriptCall, _ id: Int64) throws -> Record {
        guard let order = try call.read({ try $0.get("order", id) }) else { throw KernelError.recordNotFound("order", id) }
        return order
    }

    /// An installment as read on a day.
    static func planValue(_ row: PlanStatus.Row, _ reader: RecordReader) -> ScriptValue {
        var t = reader.access.redact(row.plan).values.mapValues(ScriptValue.value)
        t["id"] = .value(.integer(row.plan.id))
        t["status"] = .value(.text(row.status))
        t["amount_fen"] = .value(.integer(FinanceMoney.fen(row.plan["amount"])))
        t["received_fen"] = .value(.integer(row.receivedFen))
        t["open_fen"] = .value(.integer(row.openFen))
        t["overdue_days"] = .value(.integer(Int64(row.overdueDays)))
        return .table(t)
    }

    /// An order's or customer's collection figures.
    static func figures(_ f: CollectionFigures) -> ScriptValue {
        A.table(["total_fen": .integer(f.totalFen), "received_fen": .integer(f.receivedFen), "outstanding_fen": .integer(f.outstandingFen),
                 "invoiced_fen": .integer(f.invoicedFen), "planned_fen": .integer(f.plannedFen), "percent": .text(f.percent)])
    }

    static var all: [ScriptFunction] {
        [
            ScriptFunction("generate_plans", summary: "crm.finance.generate_plans(order_id, {terms?, remind_days?, replace?}) → the installments (from the order's payment terms by finance.plan_terms)",
                           effect: .write, access: .create("payment_plan")) { call in
                let order = try A.id(call, 0, "generate_plans", "an order")
                _ = try visibleOrder(call, order)
                let options = call[1]
                let replace = options.fields?["replace"] == .value(.bool(true))
                let plans = try call.write { tx in
                    try tx.access.require(.update, on: "payment_plan")
                    return try tx.asSystem {
                        try PlanGeneration.generate(tx, order: order, terms: A.text(options, "terms"), remindDays: options.fields?["remind_days"]?.integer, replace: replace)
                    }
                }
                return .list(plans.map(ScriptValue.record))
            },
            ScriptFunction("set_plans", summary: "crm.finance.set_plans(order_id, {{due_date, amount|amount_fen, name?, method?, remind_days?}, ...}) → the installments (their sum ≤ the order total)",
                           effect: .write, access: .create("payment_plan")) { call in
                let order = try A.id(call, 0, "set_plans", "an order")
                _ = try visibleOrder(call, order)
                let items = try A.list(call[1], "set_plans", "plans")
                let plans = try call.write { tx in
                    try tx.access.require(.update, on: "payment_plan")
                    return try tx.asSystem { try PlanGeneration.set(tx, order: order, items: items) }
                }
                return .list(plans.map(ScriptValue.record))
            },
            ScriptFunction("plans", summary: "crm.finance.plans(order_id, as_of?) → installments with status (待回款/部分回款/已回款/已逾期/作废), received_fen, open_fen, overdue_days",
                           effect: .read, access: .read("payment_plan")) { call in
                let order = try A.id(call, 0, "plans", "an order")
                _ = try visibleOrder(call, order)
                return try call.read { reader in
                    let asOf = try call[1].text.map { try FinanceDates.require($0, field: "as_of", entity: "payment_plan") } ?? (try OrderDayReader.today(reader))
                    return .list(try PlanStatus.rows(reader, order: order, asOf: asOf).map { planValue($0, reader) })
                }
            },
            ScriptFunction("installments", summary: "crm.finance.installments{as_of?, status?, from?, to?, limit? = 200} → the caller's installments due from…to with their status as of the day, by due date",
                           effect: .read, access: .read("payment_plan")) { call in
                let asOf = try A.day(call, call[0], "as_of", entity: "payment_plan")
                let wanted = A.text(call[0], "status")
                if let wanted, ![PlanStatus.pending, PlanStatus.partial, PlanStatus.paid, PlanStatus.overdue, PlanStatus.void].contains(wanted) {
                    throw KernelError.invalid("payment_plan", field: "status", "未知的回款状态「\(wanted)」(待回款, 部分回款, 已回款, 已逾期, 作废)")
                }
                var filters: [Filter] = []
                if let from = try A.text(call[0], "from").map({ try FinanceDates.require($0, field: "from", entity: "payment_plan") }) {
                    filters.append(.condition(field: "due_date", op: .ge, value: .text(from)))
                }
                if let to = try A.text(call[0], "to").map({ try FinanceDates.require($0, field: "to", entity: "payment_plan") }) {
                    filters.append(.condition(field: "due_date", op: .le, value: .text(to)))
                }
                if wanted == PlanStatus.overdue { filters.append(.condition(field: "due_date", op: .lt, value: .text(asOf))) }
                let limit = Int(min(max(call[0].fields?["limit"]?.integer ?? 200, 1), 1000))
                return try call.read { reader in
                    let plans = try reader.find(Query("payment_plan", filter: filters.isEmpty ? nil : .all(filters),
                                                      sort: [SortKey("due_date"), SortKey("id")], limit: wanted == nil ? limit : 1000)).records
                    let later = try PlanStatus.laterAllocations(reader, plans: plans.map(\.id), asOf: asOf)
                    let rows = plans.map { PlanStatus.row($0, later: later[$0.id] ?? 0, asOf: asOf) }.filter { wanted == nil || $0.status == wanted }
                    return .list(rows.prefix(limit).map { planValue($0, reader) })
                }
            },
            ScriptFunction("order_figures", summary: "crm.finance.order_figures(order_id) → {total_fen, received_fen, outstanding_fen, invoiced_fen, planned_fen, percent}",
                           effect: .read, access: .read("order")) { call in
                let order = try A.id(call, 0, "order_figures", "an order")
                return figures(try call.read { reader in
                    guard try reader.exists("order", order) else { throw KernelError.recordNotFound("order", order) }
                    return try CollectionFigures.order(reader.system, order)
                })
            },
            ScriptFunction("customer_figures", summary: "crm.finance.customer_figures(customer_id) → the same over the customer's approved orders",
                           effect: .read, access: .read("customer")) { call in
                let customer = try A.id(call, 0, "customer_figures", "a customer")
                return figures(try call.read { reader in
                    guard try reader.exists("customer", customer) else { throw KernelError.recordNotFound("customer", customer) }
                    return try CollectionFigures.customer(reader.system, customer, statuses: FinanceScriptFunctions.countedOrderStatuses(reader.schema))
                })
            },
            ScriptFunction("record_payment", summary: "crm.finance.record_payment{order, amount|amount_fen, received_on, plan?, method?, account?, payer?, notes?, kind? = \"receipt\"|\"refund\", submit? = true} → the receipt (submitted for approval)",
                           effect: .write, access: .create("payment")) { call in
                var values = try A.values(call[0], "record_payment", "receipt")
                let submit = values.removeValue(forKey: "submit") != .bool(false)
                if values["kind"] == .text("refund") {
                    let fen = FinanceMoney.fen(values["amount"] ?? .null)
                    if fen > 0 { values["amount"] = FinanceMoney.value(-fen) }
                }
                return .record(try call.write { tx in
                    let payment = try tx.create("payment", values)
                    guard submit else { return payment }
                    _ = try Approvals.submit("payment", payment.id, in: tx)
                    return try require(tx.reader.get("payment", payment.id), "payment", payment.id)
                })
            },
            ScriptFunction("submit_payment", summary: "crm.finance.submit_payment(id) → the receipt, submitted to its approval flow",
                           effect: .write, access: .update("payment", recordArguments: [0])) { call in
                let id = try A.id(call, 0, "submit_payment", "a receipt")
                return .record(try call.write { tx in
                    _ = try Approvals.submit("payment", id, in: tx)
                    return try require(tx.reader.get("payment", id), "payment", id)
                })
            },
            ScriptFunction("reverse_payment", summary: "crm.finance.reverse_payment(id, {reason, date?}) → the receipt 已冲销 (财务; publishes payment.reversed)",
                           effect: .write, access: .update("payment", recordArguments: [0])) { call in
                let id = try A.id(call, 0, "reverse_payment", "a receipt")
                let day = try A.day(call, call[1], "date", entity: "payment")
                return .record(try call.write { tx in
                    try tx.caller.checkWrite("payment", fields: ["reversal_reason", "status"])
                    return try PaymentApprovals.reverse(tx, id, reason: A.text(call[1], "reason") ?? "", day: day)
                })
            },
            .calling(PlanGeneration.policy, of: "finance", access: .read("payment_plan")),
            .calling(PaymentAllocation.policy, of: "finance", access: .read("payment_plan")),
        ]
    }

    static func require(_ record: Record?, _ entity: String, _ id: Int64) throws -> Record {
        guard let record else { throw KernelError.recordNotFound(entity, id) }
        return record
    }
}
