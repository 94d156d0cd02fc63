import CRMKernel

/// 薪酬管理 module: targets and attainment, the commission credit ledger fed by the orders' and
/// finance's events, commission plans in Lua, monthly payroll runs with 社保/公积金 and 个税 by
/// the cumulative withholding method, approval, payslips and payroll reports.
public struct PayrollPlugin: Plugin {
    /// Creates the plugin.
    public init() {}

    public var manifest: PluginManifest {
        PluginManifest(id: "payroll", name: LocalizedText("薪酬管理", en: "Payroll"), version: "0.1.0",
                       dependencies: ["customers", "opportunities", "products", "orders", "finance"],
                       summary: LocalizedText("销售目标、提成台账与提成方案、薪资核算、工资条与个税", en: "Targets, commission ledger and plans, payroll runs, payslips and income tax"))
    }

    public var schema: SchemaDeclarations {
        SchemaDeclarations(entities: [PayrollEntities.credit, PayrollEntities.rule, PayrollEntities.profile, PayrollEntities.item,
                                      PayrollEntities.run, PayrollEntities.payslip],
                           extensions: [FieldExtension(entity: "order", field: FieldDefinition(
                               "commission_split", .text, label: LocalizedText("业绩分成", en: "Commission split"), maxLength: 500,
                               help: "zhangwei:60, lina:40（合计 100%；留空则全部归负责人）"))])
    }

    public func hooks() -> HookSet {
        var set = HookSet()
        set.onBeforeSave("commission_credit") { ctx in CreditLedger.guardEntries(&ctx) }
        set.onBeforeSave("commission_rule") { ctx in RuleLookup.check(&ctx) }
        set.onBeforeSave("payroll_run") { ctx in PayrollApprovals.guardRun(&ctx) }
        set.onBeforeSave("payslip") { ctx in PayrollApprovals.guardPayslip(&ctx) }
        set.onBeforeSave("order") { ctx in try Splits.check(&ctx) }
        return set
    }

    /// Plans, the tax table and the insurance rules, set by the pack (`60_payroll.lua`).
    public var settings: [PluginSetting] {
        [
            PluginSetting("plans", summary: "Commission plans by name: {name = {type = \"flat\"|\"rates\"|\"tiered\", ...}} (fen, basis points)",
                          default: .table([:]), parse: PlanBook.parse),
            PluginSetting("tax", summary: "个税 cumulative withholding table: {monthly_threshold = fen, brackets = {{over =, upto =, rate = %, quick = fen}, ...}}",
                          default: TaxTable.standard.scriptValue, parse: TaxTable.parse),
            PluginSetting("insurance", summary: "社保/公积金 per city: {default = {insurance = {employee =, employer =, min =, max =}, fund = {...}}, ...}",
                          default: .table([:]), parse: { value in
                              try value == .table([:]) || value == .list([]) ? InsuranceRules.standard : InsuranceRules.parse(value)
                          }),
        ]
    }

    /// `payroll.commission`: a pure function from a person's month of ledger entries and targets to commission lines.
    public var policies: [ScriptPolicy] {
        [ScriptPolicy("commission", summary: "{plan, period, user, entries, targets} → {lines = {{label, amount = fen, explain, clawback}}}")]
    }

    public var scriptFunctions: [ScriptFunction] { PayrollScriptFunctions.all }

    public var consumers: [EventConsumer] { [CreditLedger.orderConsumer, PaymentCredits.consumer] }

    public var approvalDocuments: [ApprovalDocumentType] { [PayrollApprovals.document] }

    public var grants: [RoleGrant] { PayrollGrants.all }

    /// `Scripts/`: plans, tax table, insurance rules and the approval flow (`60_payroll.lua`, `lib/commission.lua`).
    public var stockScripts: StockScripts? { StockScripts(target: "CRMPayroll") }

    public var commands: [PluginCommand] { PayrollCommands.all }

    public var routes: [PluginRoute] { PayslipPrint.routes }

    /// 工资条 (each employee's own), runs, the ledger, plans and profiles, as generic pages.
    public var pages: [PluginPage] { PayrollPages.all }

    public func seedDemo(_ tx: WriteContext, _ demo: inout DemoContext) throws {
        try PayrollDemo.seed(tx, &demo)
    }
}
