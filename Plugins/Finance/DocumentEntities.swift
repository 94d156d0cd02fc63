import CRMKernel

/// The invoicing and expense entities: `invoice_title` (开票抬头, saved per customer),
/// `invoice` (开票申请 → 开票, 红字 reversal), `expense` (费用报销 or 借款) and `expense_line`.
enum DocumentEntities {
    private static func text(_ name: String, _ zh: String, _ en: String, _ length: Int = 200, required: Bool = false) -> FieldDefinition {
        FieldDefinition(name, .text, label: LocalizedText(zh, en: en), required: required, maxLength: length)
    }

    /// The title-profile fields an invoice copies from (and saves to) `invoice_title`.
    static let titleFields = ["title_kind", "title", "tax_no", "bank", "bank_account", "address", "phone"]

    private static var profileFields: [FieldDefinition] {
        [
            FieldDefinition("title_kind", .choice, label: LocalizedText("抬头类型", en: "Title kind"),
                            options: [ChoiceOption("企业"), ChoiceOption("个人")]),
            text("title", "发票抬头", "Title"),
            text("tax_no", "税号", "Tax number", 32),
            text("bank", "开户行", "Bank"),
            text("bank_account", "银行账号", "Bank account", 64),
            text("address", "地址", "Address", 300),
            text("phone", "电话", "Phone", 32),
        ]
    }

    /// 开票抬头: a customer's saved invoice title (the newest is reused).
    static var title: EntityDefinition {
        EntityDefinition("invoice_title", label: LocalizedText("开票抬头", en: "Invoice title"), titleField: "title", fields: [
            FieldDefinition("customer", .reference, label: LocalizedText("客户", en: "Customer"), required: true, target: "customer"),
        ] + profileFields, indexes: [["customer"]])
    }

    /// 发票 (蓝字; a 红字 one has a negative amount and points at the one it reverses).
    static var invoice: EntityDefinition {
        EntityDefinition("invoice", label: LocalizedText("发票", en: "Invoice"), titleField: "number", fields: [
            FieldDefinition("number", .text, label: LocalizedText("申请单号", en: "Request number"), unique: true, searchable: true, maxLength: 64),
            FieldDefinition("invoice_no", .text, label: LocalizedText("发票号码", en: "Invoice number"), searchable: true, maxLength: 64),
            FieldDefinition("issued_on", .date, label: LocalizedText("开票日期", en: "Issued on"), indexed: true),
            FieldDefinition("customer", .reference, label: LocalizedText("客户", en: "Customer"), required: true, target: "customer"),
            FieldDefinition("order", .reference, label: LocalizedText("订单", en: "Order"), target: "order"),
            FieldDefinition("type", .choice, label: LocalizedText("发票类型", en: "Type"), required: true,
                            options: InvoiceStatus.types.map { ChoiceOption($0) }),
            FieldDefinition("amount", .money, label: LocalizedText("开票金额(含税)", en: "Amount (tax incl.)"), required: true),
            FieldDefinition("tax_rate", .decimal, label: LocalizedText("税率(%)", en: "Tax rate (%)"), min: 0, max: 100, scale: 2),
            FieldDefinition("tax", .money, label: LocalizedText("税额", en: "Tax")),
            FieldDefinition("net", .money, label: LocalizedText("不含税金额", en: "Net")),
            FieldDefinition("status", .choice, label: LocalizedText("状态", en: "Status"), defaultValue: .text(InvoiceStatus.draft),
                            options: InvoiceStatus.all.map { ChoiceOption($0) }),
            FieldDefinition("red", .boolean, label: LocalizedText("红字发票", en: "Credit (红字)")),
            FieldDefinition("reverses", .reference, label: LocalizedText("冲红原发票", en: "Reverses"), target: "invoice"),
            FieldDefinition("reversed_by", .reference, label: LocalizedText("红字发票", en: "Reversed by"), target: "invoice"),
            text("reason", "红冲原因", "Reversal reason", 500),
            FieldDefinition("approval", .integer, label: LocalizedText("审批单", en: "Approval")),
            text("reject_reason", "驳回意见", "Rejection comment", 500),
            FieldDefinition("notes", .longText, label: LocalizedText("备注", en: "Notes"), maxLength: 4000),
        ] + profileFields, indexes: [["order", "status"], ["customer", "status"], ["status", "issued_on"]])
    }

    /// 费用报销 (kind 报销) or 借款 (kind 借款, an advance offset against later claims).
    static var expense: EntityDefinition {
        EntityDefinition("expense", label: LocalizedText("费用报销", en: "Expense claim"), titleField: "number", fields: [
            FieldDefinition("number", .text, label: LocalizedText("单号", en: "Number"), unique: true, searchable: true, maxLength: 64),
            text("title", "事由", "Purpose", 200, required: true),
            FieldDefinition("kind", .choice, label: LocalizedText("类型", en: "Kind"), defaultValue: .text("报销"),
                            options: [ChoiceOption("报销"), ChoiceOption("借款")]),
            FieldDefinition("customer", .reference, label: LocalizedText("客户", en: "Customer"), target: "customer"),
            FieldDefinition("opportunity", .reference, label: LocalizedText("商机", en: "Opportunity"), target: "opportunity"),
            FieldDefinition("total", .money, label: LocalizedText("报销金额", en: "Total")),
            FieldDefinition("offset", .money, label: LocalizedText("冲抵借款", en: "Advance offset")),
            FieldDefinition("payable", .money, label: LocalizedText("实付金额", en: "Payable")),
            FieldDefinition("status", .choice, label: LocalizedText("状态", en: "Status"), defaultValue: .text(ExpenseStatus.draft),
                            options: ExpenseStatus.all.map { ChoiceOption($0) }),
            FieldDefinition("account", .reference, label: LocalizedText("付款账户", en: "Paid from"), target: "fund_account"),
            FieldDefinition("paid_on", .date, label: LocalizedText("付款日期", en: "Paid on"), indexed: true),
            FieldDefinition("approval", .integer, label: LocalizedText("审批单", en: "Approval")),
            text("reject_reason", "驳回意见", "Rejection comment", 500),
            FieldDefinition("notes", .longText, label: LocalizedText("备注", en: "Notes"), maxLength: 4000),
            FieldDefinition("team", .reference, label: LocalizedText("团队", en: "Team"), target: "team"),
        ], indexes: [["owner", "kind", "status"], ["status", "paid_on"]])
    }

    /// 报销明细.
    static var line: EntityDefinition {
        EntityDefinition("expense_line", label: LocalizedText("报销明细", en: "Expense line"), titleField: "category", fields: [
            FieldDefinition("expense", .reference, label: LocalizedText("报销单", en: "Claim"), required: true, target: "expense"),
            text("category", "费用类别", "Category", 32, required: true),
            FieldDefinition("date", .date, label: LocalizedText("发生日期", en: "Date")),
            FieldDefinition("amount", .money, label: LocalizedText("金额", en: "Amount"), required: true, min: 0),
            FieldDefinition("attachment", .text, label: LocalizedText("发票附件", en: "Receipt attachment"), maxLength: 500),
            FieldDefinition("customer", .reference, label: LocalizedText("客户", en: "Customer"), target: "customer"),
            FieldDefinition("opportunity", .reference, label: LocalizedText("商机", en: "Opportunity"), target: "opportunity"),
            text("notes", "说明", "Notes", 500),
            FieldDefinition("paid_on", .date, label: LocalizedText("付款日期", en: "Paid on")),
        ], indexes: [["expense"], ["paid_on", "category", "amount"], ["customer", "paid_on"]])
    }
}

/// An invoice's statuses and types.
enum InvoiceStatus {
    static let draft = "草稿", submitted = "审批中", approved = "已审批", rejected = "已驳回", issued = "已开票", reversed = "已红冲"
    static let all = [draft, submitted, approved, rejected, issued, reversed]
    /// Statuses whose amounts count as invoiced (a reversed blue one and its red one cancel out).
    static let counted = [issued, reversed]
    static let types = ["增值税专用发票", "增值税普通发票", "电子发票"]
}

/// An expense claim's statuses.
enum ExpenseStatus {
    static let draft = "草稿", submitted = "审批中", approved = "已审批", rejected = "已驳回", paid = "已支付"
    static let all = [draft, submitted, approved, rejected, paid]
}
