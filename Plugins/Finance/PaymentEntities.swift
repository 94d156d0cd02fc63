import CRMKernel

/// The receivables entities: `payment_plan` (回款计划), `payment` (回款单, refunds negative),
/// `payment_allocation` (which receipt paid which installment, dated) and the fund accounts
/// with their movements.
enum PaymentEntities {
    /// Stock payment methods (a company extends them with `crm.finance.rules{methods = {...}}`).
    static let methods = ["银行转账", "现金", "支票", "支付宝", "微信", "承兑汇票"]

    private static func text(_ name: String, _ zh: String, _ en: String, _ length: Int = 200, required: Bool = false) -> FieldDefinition {
        FieldDefinition(name, .text, label: LocalizedText(zh, en: en), required: required, maxLength: length)
    }

    /// 回款计划: one installment of an order. Its status is derived when read (`PlanStatus`),
    /// never stored; `received` and `paid_on` are kept by the module from approved receipts.
    static var plan: EntityDefinition {
        EntityDefinition("payment_plan", label: LocalizedText("回款计划", en: "Payment plan"), titleField: "name", fields: [
            FieldDefinition("order", .reference, label: LocalizedText("订单", en: "Order"), required: true, target: "order"),
            FieldDefinition("customer", .reference, label: LocalizedText("客户", en: "Customer"), target: "customer"),
            FieldDefinition("seq", .integer, label: LocalizedText("期数", en: "Installment"), min: 1),
            text("name", "款项", "Name", 100),
            FieldDefinition("due_date", .date, label: LocalizedText("计划回款日期", en: "Due date"), required: true),
            FieldDefinition("amount", .money, label: LocalizedText("计划金额", en: "Amount"), required: true, min: 0),
            FieldDefinition("percent", .decimal, label: LocalizedText("比例(%)", en: "Percent"), min: 0, max: 100, scale: 2),
            text("method", "回款方式", "Method", 32),
            FieldDefinition("remind_days", .integer, label: LocalizedText("提前提醒天数", en: "Remind days ahead"), min: 0, max: 365),
            FieldDefinition("received", .money, label: LocalizedText("已回款", en: "Received")),
            FieldDefinition("paid_on", .date, label: LocalizedText("回清日期", en: "Paid in full on")),
            FieldDefinition("cancelled", .boolean, label: LocalizedText("订单已作废", en: "Order void")),
            FieldDefinition("team", .reference, label: LocalizedText("团队", en: "Team"), target: "team"),
            text("notes", "备注", "Notes", 1000),
            // The aging report's buckets read the second index whole; one rep's read the fourth,
            // which starts at the rep (a twentieth of the rows with 20 reps).
        ], indexes: [["order", "seq"], ["cancelled", "paid_on", "due_date", "owner", "amount", "received"], ["due_date"],
                     ["owner", "cancelled", "paid_on", "due_date", "amount", "received"]])
    }

    /// 回款单 (kind `receipt`) or 退款 (kind `refund`, negative amount).
    static var payment: EntityDefinition {
        EntityDefinition("payment", label: LocalizedText("回款单", en: "Receipt"), titleField: "number", fields: [
            FieldDefinition("number", .text, label: LocalizedText("回款单号", en: "Number"), unique: true, searchable: true, maxLength: 64),
            FieldDefinition("kind", .choice, label: LocalizedText("类型", en: "Kind"), defaultValue: .text("receipt"),
                            options: [ChoiceOption("receipt", label: LocalizedText("回款", en: "Receipt")),
                                      ChoiceOption("refund", label: LocalizedText("退款", en: "Refund"))]),
            FieldDefinition("order", .reference, label: LocalizedText("订单", en: "Order"), required: true, target: "order"),
            FieldDefinition("plan", .reference, label: LocalizedText("回款计划", en: "Plan"), target: "payment_plan"),
            FieldDefinition("customer", .reference, label: LocalizedText("客户", en: "Customer"), target: "customer"),
            FieldDefinition("received_on", .date, label: LocalizedText("回款日期", en: "Date"), required: true, indexed: true),
            FieldDefinition("amount", .money, label: LocalizedText("金额", en: "Amount"), required: true),
            text("method", "回款方式", "Method", 32),
            FieldDefinition("account", .reference, label: LocalizedText("资金账户", en: "Fund account"), target: "fund_account"),
            text("payer", "付款方", "Payer"),
            FieldDefinition("notes", .longText, label: LocalizedText("备注", en: "Notes"), maxLength: 4000),
            FieldDefinition("attachments", .tags, label: LocalizedText("附件", en: "Attachments")),
            FieldDefinition("status", .choice, label: LocalizedText("状态", en: "Status"), defaultValue: .text(PaymentStatus.draft),
                            options: PaymentStatus.all.map { ChoiceOption($0) }),
            FieldDefinition("approval", .integer, label: LocalizedText("审批单", en: "Approval")),
            FieldDefinition("approved_at", .datetime, label: LocalizedText("确认时间", en: "Approved at")),
            FieldDefinition("allocated", .money, label: LocalizedText("已分配到计划", en: "Allocated to plans")),
            text("reject_reason", "驳回意见", "Rejection comment", 500),
            text("reversal_reason", "冲销原因", "Reversal reason", 500),
            FieldDefinition("reversed_on", .date, label: LocalizedText("冲销日期", en: "Reversed on")),
            FieldDefinition("team", .reference, label: LocalizedText("团队", en: "Team"), target: "team"),
        ], indexes: [["order", "status"], ["status", "received_on", "owner", "amount"]])
    }

    /// Which approved receipt paid how much of which installment, on which day (a reversal
    /// writes the opposite amounts on its own day, so as-of reports see both).
    static var allocation: EntityDefinition {
        EntityDefinition("payment_allocation", label: LocalizedText("回款分配", en: "Receipt allocation"), fields: [
            FieldDefinition("payment", .reference, label: LocalizedText("回款单", en: "Receipt"), required: true, target: "payment"),
            FieldDefinition("plan", .reference, label: LocalizedText("回款计划", en: "Plan"), required: true, target: "payment_plan"),
            FieldDefinition("order", .reference, label: LocalizedText("订单", en: "Order"), target: "order"),
            FieldDefinition("amount", .money, label: LocalizedText("金额", en: "Amount"), required: true),
            FieldDefinition("received_on", .date, label: LocalizedText("日期", en: "Date"), required: true),
        ], indexes: [["received_on", "plan"], ["payment"], ["plan"]])
    }

    /// 资金账户.
    static var account: EntityDefinition {
        EntityDefinition("fund_account", label: LocalizedText("资金账户", en: "Fund account"), titleField: "name", fields: [
            text("name", "账户名称", "Name", 100, required: true),
            FieldDefinition("kind", .choice, label: LocalizedText("类型", en: "Kind"),
                            options: ["银行", "现金", "支付宝", "微信", "其他"].map { ChoiceOption($0) }),
            text("bank", "开户行", "Bank"),
            text("account_no", "账号", "Account number", 64),
            FieldDefinition("opening_balance", .money, label: LocalizedText("期初余额", en: "Opening balance")),
            FieldDefinition("opening_date", .date, label: LocalizedText("期初日期", en: "Opening date")),
            FieldDefinition("active", .boolean, label: LocalizedText("启用", en: "Active"), defaultValue: .bool(true)),
        ])
    }

    /// 资金流水: every approved receipt or refund, reversal and paid expense (signed: in > 0).
    static var movement: EntityDefinition {
        EntityDefinition("fund_movement", label: LocalizedText("收支明细", en: "Fund movement"), fields: [
            FieldDefinition("account", .reference, label: LocalizedText("资金账户", en: "Fund account"), target: "fund_account"),
            FieldDefinition("date", .date, label: LocalizedText("日期", en: "Date"), required: true),
            FieldDefinition("amount", .money, label: LocalizedText("金额(收入为正)", en: "Amount (in > 0)"), required: true),
            text("category", "类别", "Category", 32),
            text("source_entity", "来源单据类型", "Source type", 32),
            FieldDefinition("source_id", .integer, label: LocalizedText("来源单据", en: "Source id")),
            FieldDefinition("customer", .reference, label: LocalizedText("客户", en: "Customer"), target: "customer"),
            text("summary", "摘要", "Summary", 200),
        ], indexes: [["account", "date"], ["date", "category", "amount"], ["source_entity", "source_id"]])
    }
}

/// A receipt's statuses (set by the module only).
enum PaymentStatus {
    static let draft = "草稿", submitted = "审批中", approved = "已确认", rejected = "已驳回", reversed = "已冲销"
    static let all = [draft, submitted, approved, rejected, reversed]
}
