import CRMKernel

/// Expense claims (报销) and advances (借款): lines total the claim; approval through the engine
/// (flow `expense` in `50_finance.lua`); 财务 pays an approved claim from a fund account. Paying a
/// claim first offsets the claimant's open advances (paid 借款 not yet offset); only the rest is
/// paid out. Paying writes fund movements (one per line category, plus the offset as 借款冲抵)
/// and publishes `expense.paid`.
enum ExpenseActions {
    /// `expense` numbers `BX-{yyyyMMdd}-{seq:4}`.
    static let numbers = SequenceDeclaration("expense", defaultPattern: "BX-{yyyyMMdd}-{seq:4}", summary: "报销/借款单号")

    /// The document type: conditions see the fields plus `amount_fen` (the total in fen).
    static var document: ApprovalDocumentType {
        ApprovalDocumentType("expense", facts: { _, expense in ["amount_fen": .integer(FinanceMoney.fen(expense["total"]))] }) { change in
            let tx = change.tx, id = change.recordID
            guard let expense = try tx.reader.get("expense", id) else { throw KernelError.recordNotFound("expense", id) }
            switch change.kind {
            case .submitted:
                guard [ExpenseStatus.draft, ExpenseStatus.rejected].contains(expense["status"].textValue ?? "") else { throw stateError(expense, "submit") }
                guard FinanceMoney.fen(expense["total"]) > 0 else {
                    throw KernelError.invalid("expense", field: "lines", "报销单没有金额明细，不能提交 (a claim needs at least one line with an amount)")
                }
                _ = try tx.update("expense", id, ["status": .text(ExpenseStatus.submitted), "approval": .integer(change.approval.id), "reject_reason": .null])
            case .approved:
                _ = try tx.update("expense", id, ["status": .text(ExpenseStatus.approved)])
            case .rejected:
                let comment = change.approval.decisions.last(where: { $0.action == .reject })?.comment ?? ""
                _ = try tx.update("expense", id, ["status": .text(ExpenseStatus.rejected), "reject_reason": .text(comment)])
            case .withdrawn:
                _ = try tx.update("expense", id, ["status": .text(ExpenseStatus.draft)])
            }
        }
    }

    static func stateError(_ expense: Record, _ action: String) -> KernelError {
        let status = expense["status"].textValue ?? ""
        return KernelError(.invalidState, "报销单 \(expense["number"]) 状态为\(status)，不能\(action) (cannot \(action) a claim in status \(status))",
                           entity: "expense", fieldErrors: [FieldError(field: "status", message: "cannot \(action) from \(status)")])
    }

    /// The claimant's advances not yet offset, fen: paid 借款 minus the offsets of paid claims.
    static func openAdvances(_ reader: RecordReader, owner: Int64) throws -> Int64 {
        let paid = Filter.all([.eq("owner", .integer(owner)), .eq("status", .text(ExpenseStatus.paid))])
        var advances: Int64 = 0, offsets: Int64 = 0
        for row in try reader.aggregate("expense", groupBy: [GroupKey("kind")], measures: [.sum("total"), .sum("offset")], filter: paid) {
            if row.group["kind"] == .text("借款") { advances += FinanceMoney.fen(row.values[0]) } else { offsets += FinanceMoney.fen(row.values[1]) }
        }
        return advances - offsets
    }

    /// Pays approved claim `id` from `account` on `date` (财务 only: the caller must be allowed to write `paid_on`).
    static func pay(_ tx: WriteContext, _ id: Int64, account: Int64?, date: String) throws -> Record {
        try tx.caller.checkWrite("expense", fields: ["paid_on", "account"])
        let date = try FinanceDates.require(date, field: "paid_on", entity: "expense")
        guard let expense = try tx.reader.get("expense", id) else { throw KernelError.recordNotFound("expense", id) }
        guard expense["status"] == .text(ExpenseStatus.approved) else { throw stateError(expense, "pay") }
        return try tx.asSystem {
            if let account, try tx.reader.get("fund_account", account) == nil { throw KernelError.invalid("expense", field: "account", "资金账户 \(account) 不存在 (no such fund account)") }
            let accountValue = account.map(Value.integer) ?? .null
            let total = FinanceMoney.fen(expense["total"])
            let advance = expense["kind"] == .text("借款")
            let offset = advance ? 0 : min(total, try expense["owner"].integerValue.map { try openAdvances(tx.reader, owner: $0) } ?? 0)
            let lines = try tx.reader.find(Query("expense_line", filter: .eq("expense", .integer(id)), sort: [SortKey("id")], limit: 1000)).records
            var byCategory: [String: Int64] = [:]
            for line in lines {
                byCategory[advance ? "借款" : (line["category"].textValue ?? "其他"), default: 0] += FinanceMoney.fen(line["amount"])
                _ = try tx.update("expense_line", line.id, ["paid_on": .text(date)])
            }
            for (category, amount) in byCategory.sorted(by: { $0.key < $1.key }) {
                try FundLedger.record(tx, account: accountValue, date: date, amount: -amount, category: category, source: expense,
                                      customer: expense["customer"], summary: "\(expense["kind"]) \(expense["number"])")
            }
            try FundLedger.record(tx, account: accountValue, date: date, amount: offset, category: "借款冲抵", source: expense,
                                  summary: "冲抵借款 \(expense["number"])")
            let record = try tx.update("expense", id, ["status": .text(ExpenseStatus.paid), "paid_on": .text(date), "account": accountValue,
                                                       "offset": FinanceMoney.value(offset), "payable": FinanceMoney.value(total - offset)])
            try tx.publish("expense.paid", entity: "expense", recordID: id, payload: [
                "id": .integer(id), "number": record["number"], "owner": record["owner"], "kind": .text(advance ? "advance" : "claim"),
                "total_fen": .integer(total), "offset_fen": .integer(offset), "paid_fen": .integer(total - offset), "paid_on": .text(date),
                "account": accountValue, "customer": record["customer"],
            ])
            return record
        }
    }
}

/// The rules of expense writes: numbers and team on create, a locked claim once submitted,
/// lines with an amount above zero and a known category, the total kept from the lines.
enum ExpenseRules {
    static func hooks(into set: inout HookSet) {
        set.onBeforeSave("expense") { ctx in
            let status = ctx.old?["status"].textValue ?? ExpenseStatus.draft
            let editable = [ExpenseStatus.draft, ExpenseStatus.rejected].contains(status)
            switch ctx.operation {
            case .delete:
                if !editable { ctx.reject("status", "只能删除草稿报销单 (only a draft claim can be deleted)") }
            case .create:
                if (ctx.values["number"] ?? .null).isEmpty { ctx.values["number"] = .text(try ctx.tx.nextNumber("expense")) }
                ctx.values["status"] = .text(ExpenseStatus.draft)
                ctx.values["total"] = FinanceMoney.value(0)
                if let owner = ctx.values["owner"]?.integerValue {
                    ctx.values["team"] = try ctx.tx.asSystem { try ctx.tx.reader.get("user", owner)?["team"] } ?? .null
                }
            case .update:
                if !editable {
                    for field in ["title", "kind", "customer", "opportunity"] where ctx.changed(field) {
                        ctx.reject(field, "报销单状态为\(status)，不能修改 (a claim in status \(status) is locked)")
                    }
                }
            }
        }
        set.onBeforeSave("expense_line") { ctx in
            let expenseID = (ctx.operation == .delete ? ctx.old?["expense"] : ctx.values["expense"])?.integerValue
            if let expenseID, let expense = try ctx.tx.asSystem({ try ctx.tx.reader.get("expense", expenseID) }),
               ![ExpenseStatus.draft, ExpenseStatus.rejected].contains(expense["status"].textValue ?? ""),
               !(ctx.operation == .update && ctx.changed("paid_on") && !ctx.changed("amount")) {
                ctx.reject("expense", "报销单已提交，不能修改明细 (the claim is submitted; its lines are locked)")
            }
            guard ctx.operation != .delete else { return }
            if FinanceMoney.fen(ctx.values["amount"] ?? .null) <= 0 { ctx.reject("amount", "报销明细必须填写大于 0 的金额 (an expense line needs an amount above zero)") }
            let categories = FinanceSettings.current(ctx.tx.schema).expenseCategories
            if let category = ctx.values["category"]?.textValue, !categories.contains(category) {
                ctx.reject("category", "未知的费用类别「\(category)」(known: \(categories.joined(separator: ", ")))")
            }
        }
        set.onAfterSave("expense_line") { ctx in
            let values = ctx.operation == .delete ? (ctx.old?.values ?? [:]) : ctx.record.values
            guard ctx.operation != .update || ctx.changed("amount"), let expense = values["expense"]?.integerValue else { return }
            try ctx.tx.asSystem {
                let sum = try ctx.tx.reader.aggregate("expense_line", measures: [.sum("amount")], filter: .eq("expense", .integer(expense)))
                let total = FinanceMoney.fen(sum.first?.values[0] ?? .null)
                _ = try ctx.tx.update("expense", expense, ["total": FinanceMoney.value(total), "payable": FinanceMoney.value(total)])
            }
        }
    }
}
