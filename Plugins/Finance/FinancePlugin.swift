import CRMKernel

/// 财务管理 module: 回款 plans and receipts (approval, allocation, refunds, reversal), derived plan
/// status, collection figures, invoices with title profiles and 红字 reversal, receivables aging,
/// due and overdue reminders, expense claims with advances, fund accounts and reports.
public struct FinancePlugin: Plugin {
    /// Creates the plugin.
    public init() {}

    public var manifest: PluginManifest {
        PluginManifest(id: "finance", name: LocalizedText("财务管理", en: "Finance"), version: "0.1.0",
                       dependencies: ["customers", "opportunities", "orders"],
                       summary: LocalizedText("回款计划与回款、开票、应收账龄、费用报销、资金账户与财务报表",
                                              en: "Payment plans and receipts, invoices, receivables aging, expenses, fund accounts and reports"))
    }

    public var schema: SchemaDeclarations {
        SchemaDeclarations(entities: [PaymentEntities.plan, PaymentEntities.payment, PaymentEntities.allocation, PaymentEntities.account,
                                      PaymentEntities.movement, DocumentEntities.title, DocumentEntities.invoice, DocumentEntities.expense,
                                      DocumentEntities.line],
                           extensions: [FieldExtension(entity: "sales_target", field: FinanceReports.targetKindField)])
    }

    public func hooks() -> HookSet {
        var set = HookSet()
        PaymentRules.hooks(into: &set)
        InvoiceRules.hooks(into: &set)
        ExpenseRules.hooks(into: &set)
        return set
    }

    public var scriptFunctions: [ScriptFunction] { FinanceScriptFunctions.all }

    public var settings: [PluginSetting] { [FinanceSettings.setting] }

    /// `finance.plan_terms` (installments from payment terms) and `finance.allocate` (which
    /// installments a receipt pays), both in the stock `50_finance.lua`.
    public var policies: [ScriptPolicy] { [PlanGeneration.policy, PaymentAllocation.policy] }

    /// `payment` (`SK-…`), `invoice` (`KP-…`) and `expense` (`BX-…`) numbers.
    public var sequences: [SequenceDeclaration] { [PaymentApprovals.numbers, InvoiceActions.numbers, ExpenseActions.numbers] }

    /// Receipts/refunds, invoices and expense claims go through the approval engine.
    public var approvalDocuments: [ApprovalDocumentType] { [PaymentApprovals.document, InvoiceActions.document, ExpenseActions.document] }

    public var jobs: [ScheduledJob] { [DueReminders.job] }

    /// `payment.approved` / `payment.reversed` `{id, order, plan, customer, owner, amount_fen,
    /// received_on, kind}`, `invoice.issued` and `expense.paid`.
    public var publishes: [String] { ["payment.approved", "payment.reversed", "invoice.issued", "invoice.reversed", "expense.paid"] }

    public var grants: [RoleGrant] { FinanceGrants.all }

    /// `Scripts/50_finance.lua`: approval flows, the plan and allocation policies, rules.
    public var stockScripts: StockScripts? { StockScripts(target: "CRMFinance") }

    public var pages: [PluginPage] { FinancePages.all }

    public func seedDemo(_ tx: WriteContext, _ demo: inout DemoContext) throws {
        try FinanceDemo.seed(tx, &demo)
    }
}
