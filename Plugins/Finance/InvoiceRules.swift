import CRMKernel

/// The rules of invoice writes: numbers on create; tax and net from amount and rate; the
/// customer's title profile filled in when missing and saved when given; a request is a
/// positive amount for one of the customer's orders; an issued (or reversed) invoice is locked.
enum InvoiceRules {
    /// Fields that may still change on a submitted or approved request: none of the amounts.
    static let amountFields = ["amount", "tax_rate", "type", "customer", "order"]

    static func hooks(into set: inout HookSet) {
        set.onBeforeSave("invoice") { ctx in try check(&ctx) }
    }

    private static func check(_ ctx: inout SaveContext) throws {
        let status = ctx.old?["status"].textValue ?? InvoiceStatus.draft
        switch ctx.operation {
        case .delete:
            if ![InvoiceStatus.draft, InvoiceStatus.rejected].contains(status) { ctx.reject("status", "只能删除草稿发票申请 (only a draft request can be deleted)") }
            return
        case .update where [InvoiceStatus.issued, InvoiceStatus.reversed].contains(status):
            // Only the module's reversal may touch an issued invoice: status → 已红冲 with the red one.
            let reversal = status == InvoiceStatus.issued && ctx.values["status"] == .text(InvoiceStatus.reversed) && !(ctx.values["reversed_by"] ?? .null).isEmpty
            for (field, _) in ctx.values where ctx.changed(field) && !ReservedFieldNames.system.contains(field) {
                if reversal, ["status", "reversed_by"].contains(field) { continue }
                ctx.reject(field, "发票已开具，不能修改，只能开红字发票冲销 (an issued invoice is locked; reverse it with a 红字 invoice)")
            }
            return
        case .update where [InvoiceStatus.submitted, InvoiceStatus.approved].contains(status):
            for field in amountFields where ctx.changed(field) {
                ctx.reject(field, "发票申请已提交，不能修改金额 (a submitted request is locked; withdraw it first)")
            }
        case .create:
            if (ctx.values["number"] ?? .null).isEmpty { ctx.values["number"] = .text(try ctx.tx.nextNumber("invoice")) }
            let red = ctx.values["red"] == .bool(true) && !(ctx.values["reverses"] ?? .null).isEmpty
            if !red { ctx.values["status"] = .text(InvoiceStatus.draft) }
            ctx.values["red"] = .bool(red)
            try profile(&ctx)
        case .update: break
        }
        let amount = FinanceMoney.fen(ctx.values["amount"] ?? .null)
        if ctx.values["red"] != .bool(true), amount <= 0 { ctx.reject("amount", "开票金额必须大于 0 (an invoice's amount must be above zero)") }
        let rate = ctx.values["tax_rate"]?.decimalValue ?? 0
        let tax = InvoiceActions.taxFen(amountFen: amount, rate: rate)
        ctx.values["tax"] = FinanceMoney.value(tax)
        ctx.values["net"] = FinanceMoney.value(amount - tax)
        if let orderID = ctx.values["order"]?.integerValue {
            let order = try ctx.tx.asSystem { try ctx.tx.reader.get("order", orderID) }
            if order == nil { ctx.reject("order", "订单 \(orderID) 不存在 (no such order)") }
            else if order?["customer"] != ctx.values["customer"] { ctx.reject("order", "订单不属于该客户 (the order belongs to another customer)") }
        }
    }

    /// Fills the title profile from the customer's saved one, or saves the one given.
    private static func profile(_ ctx: inout SaveContext) throws {
        guard let customer = ctx.values["customer"]?.integerValue, ctx.values["red"] != .bool(true) else { return }
        let tx = ctx.tx
        let saved = try tx.asSystem {
            try tx.reader.find(Query("invoice_title", filter: .eq("customer", .integer(customer)), sort: [SortKey("id", descending: true)], limit: 1)).records.first
        }
        if (ctx.values["title"] ?? .null).isEmpty {
            guard let saved else { ctx.reject("title", "请填写发票抬头（该客户没有保存的开票信息）(the invoice needs a title; the customer has no saved profile)"); return }
            for field in DocumentEntities.titleFields where (ctx.values[field] ?? .null).isEmpty { ctx.values[field] = saved[field] }
            return
        }
        var profile: [String: Value] = ["customer": .integer(customer)]
        for field in DocumentEntities.titleFields { profile[field] = ctx.values[field] ?? .null }
        try tx.asSystem {
            if let saved {
                let changes = profile.filter { saved[$0.key] != $0.value }
                if !changes.isEmpty { _ = try tx.update("invoice_title", saved.id, changes) }
            } else {
                _ = try tx.create("invoice_title", profile)
            }
        }
    }
}
