import CRMKernel

/// The finance module's pages: lists and details of its records (rendered generically by the
/// web interface) and the 回款计划 and 应收账龄 pages (`CollectionPages`: templates in `Pages/`,
/// filled from `crm.finance.installments` and `crm.finance.aging` as the user).
enum FinancePages {
    static var all: [PluginPage] {
        func page(_ id: String, _ path: String, _ zh: String, _ en: String, _ entity: String, order: Int?, view: PageView? = nil) -> PluginPage {
            PluginPage(id, path: path, title: LocalizedText(zh, en: en), menu: order.map { MenuEntry(section: "finance", order: $0) },
                       requires: FunctionAccess(entity: entity, action: .read), view: view)
        }
        return [
            page("collection", "/finance/collection", "回款计划", "Collection plan", "payment_plan", order: 10, view: CollectionPages.collection),
            page("aging", "/finance/aging", "应收账龄", "Receivables aging", "payment_plan", order: 20, view: CollectionPages.aging),
            page("payments", "/finance/payments", "回款单", "Receipts", "payment", order: 30),
            page("invoices", "/finance/invoices", "发票", "Invoices", "invoice", order: 40),
            page("expenses", "/finance/expenses", "费用报销", "Expense claims", "expense", order: 50),
            page("accounts", "/finance/accounts", "资金账户", "Fund accounts", "fund_account", order: 60),
            page("movements", "/finance/movements", "收支明细", "Fund movements", "fund_movement", order: 70),
            page("plans", "/finance/plans", "回款计划明细", "Installments", "payment_plan", order: nil),
            page("payment", "/finance/payments/:id", "回款单", "Receipt", "payment", order: nil),
            page("invoice", "/finance/invoices/:id", "发票", "Invoice", "invoice", order: nil),
            page("expense", "/finance/expenses/:id", "报销单", "Expense claim", "expense", order: nil),
        ]
    }
}
