import CRMKernel

/// The payroll module's pages in the web interface: generic lists and details over the kernel,
/// under the caller's access (an employee's 工资条 list holds only their own payslips), and the
/// payslip itself (`PayslipPage`, template in `Pages/`).
enum PayrollPages {
    static var all: [PluginPage] {
        [
            PluginPage("payslips", path: "/payroll/payslips", title: LocalizedText("我的工资条", en: "Payslips"),
                       menu: MenuEntry(section: "payroll", order: 10), requires: FunctionAccess(entity: "payslip", action: .read)),
            PluginPage("payslip", path: "/payroll/payslips/:id", title: LocalizedText("工资条", en: "Payslip"),
                       requires: FunctionAccess(entity: "payslip", action: .read), view: PayslipPage.view),
            PluginPage("runs", path: "/payroll/runs", title: LocalizedText("薪资核算", en: "Payroll runs"),
                       menu: MenuEntry(section: "payroll", order: 20), requires: FunctionAccess(entity: "payroll_run", action: .read)),
            PluginPage("run", path: "/payroll/runs/:id", title: LocalizedText("薪资核算详情", en: "Payroll run"),
                       requires: FunctionAccess(entity: "payroll_run", action: .read)),
            PluginPage("credits", path: "/payroll/credits", title: LocalizedText("提成台账", en: "Commission ledger"),
                       menu: MenuEntry(section: "payroll", order: 30), requires: FunctionAccess(entity: "commission_credit", action: .read)),
            PluginPage("rules", path: "/payroll/rules", title: LocalizedText("提成方案", en: "Commission rules"),
                       menu: MenuEntry(section: "payroll", order: 40), requires: FunctionAccess(entity: "commission_rule", action: .read)),
            PluginPage("profiles", path: "/payroll/profiles", title: LocalizedText("薪资档案", en: "Pay profiles"),
                       menu: MenuEntry(section: "payroll", order: 50), requires: FunctionAccess(entity: "pay_profile", action: .read)),
        ]
    }
}
