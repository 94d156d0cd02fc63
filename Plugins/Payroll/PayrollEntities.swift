import CRMKernel

/// The module's entities: the credit ledger `commission_credit`, the plan assignments
/// `commission_rule`, each employee's pay profile `pay_profile`, one-off items `pay_item`, and the
/// runs `payroll_run` with their `payslip`s. Money is stored in fen (`.money`).
enum PayrollEntities {
    /// Kinds of ledger entries.
    static let creditKinds = ["order", "receipt", "refund", "reversal", "adjustment"]
    /// What an entry counts towards: sales (order amount and margin) or receipts (回款).
    static let bases = ["sales", "receipt"]

    /// 提成台账: append-only; one entry per event that earns or takes back commission, per credited user.
    static var credit: EntityDefinition {
        EntityDefinition("commission_credit", label: LocalizedText("提成台账", en: "Commission credit"), fields: [
            FieldDefinition("user", .user, label: LocalizedText("人员", en: "User"), required: true),
            FieldDefinition("date", .date, label: LocalizedText("日期", en: "Date"), required: true),
            FieldDefinition("period", .text, label: LocalizedText("期间", en: "Period"), maxLength: 7),
            FieldDefinition("kind", .choice, label: LocalizedText("类型", en: "Kind"), required: true,
                            options: creditKinds.map { ChoiceOption($0) }),
            FieldDefinition("base", .choice, label: LocalizedText("计提基数", en: "Base"), required: true, options: bases.map { ChoiceOption($0) }),
            FieldDefinition("amount", .money, label: LocalizedText("金额", en: "Amount")),
            FieldDefinition("margin", .money, label: LocalizedText("毛利", en: "Margin")),
            FieldDefinition("share", .decimal, label: LocalizedText("分成比例(%)", en: "Split (%)"), min: 0, max: 100, scale: 2),
            FieldDefinition("order", .reference, label: LocalizedText("订单", en: "Order"), target: "order"),
            FieldDefinition("payment", .integer, label: LocalizedText("收款/退款", en: "Payment")),
            FieldDefinition("customer", .reference, label: LocalizedText("客户", en: "Customer"), target: "customer"),
            FieldDefinition("product", .reference, label: LocalizedText("产品", en: "Product"), target: "product"),
            FieldDefinition("category", .reference, label: LocalizedText("产品分类", en: "Category"), target: "product_category"),
            FieldDefinition("reason", .text, label: LocalizedText("原因", en: "Reason"), maxLength: 500),
            FieldDefinition("event", .integer, label: LocalizedText("来源事件", en: "Source event")),
        ], indexes: [["user", "period", "base"], ["order", "user"], ["payment"]])
    }

    /// 提成方案: which plan (named in `crm.payroll.plans`) applies to whom from which day; a
    /// period uses the version in force on its first day (user over team over role over everyone).
    static var rule: EntityDefinition {
        EntityDefinition("commission_rule", label: LocalizedText("提成方案", en: "Commission rule"), titleField: "name", fields: [
            FieldDefinition("name", .text, label: LocalizedText("名称", en: "Name"), required: true, maxLength: 100),
            FieldDefinition("plan", .text, label: LocalizedText("计算方案", en: "Plan"), required: true, maxLength: 64,
                            help: "crm.payroll.plans 中的方案名"),
            FieldDefinition("plan_version", .integer, label: LocalizedText("版本", en: "Version"), min: 1),
            FieldDefinition("effective_from", .date, label: LocalizedText("生效日期", en: "Effective from"), required: true),
            FieldDefinition("effective_to", .date, label: LocalizedText("失效日期", en: "Effective to")),
            FieldDefinition("user", .user, label: LocalizedText("适用人员", en: "For user")),
            FieldDefinition("team", .reference, label: LocalizedText("适用团队", en: "For team"), target: "team"),
            FieldDefinition("role", .text, label: LocalizedText("适用角色", en: "For role"), maxLength: 64),
        ])
    }

    /// 薪资档案: an employee's monthly pay terms.
    static var profile: EntityDefinition {
        EntityDefinition("pay_profile", label: LocalizedText("薪资档案", en: "Pay profile"), fields: [
            FieldDefinition("user", .user, label: LocalizedText("员工", en: "Employee"), required: true, unique: true),
            FieldDefinition("base_salary", .money, label: LocalizedText("基本工资", en: "Base salary"), required: true, min: 0),
            FieldDefinition("allowance", .money, label: LocalizedText("津贴补贴", en: "Allowances"), min: 0),
            FieldDefinition("special_deduction", .money, label: LocalizedText("专项附加扣除(月)", en: "Special deductions (monthly)"), min: 0),
            FieldDefinition("city", .text, label: LocalizedText("社保城市", en: "Insurance city"), maxLength: 32),
            FieldDefinition("insurance_base", .money, label: LocalizedText("社保基数", en: "Insurance base"), min: 0),
            FieldDefinition("fund_base", .money, label: LocalizedText("公积金基数", en: "Housing fund base"), min: 0),
            FieldDefinition("active", .boolean, label: LocalizedText("在职", en: "Active")),
        ])
    }

    /// 奖金/扣款: a one-off item of one employee's pay for one month.
    static var item: EntityDefinition {
        EntityDefinition("pay_item", label: LocalizedText("奖金扣款", en: "Pay item"), fields: [
            FieldDefinition("user", .user, label: LocalizedText("员工", en: "Employee"), required: true),
            FieldDefinition("period", .text, label: LocalizedText("月份", en: "Month"), required: true, maxLength: 7,
                            pattern: "[0-9]{4}-(0[1-9]|1[0-2])"),
            FieldDefinition("kind", .choice, label: LocalizedText("类型", en: "Kind"), required: true,
                            options: [ChoiceOption("bonus"), ChoiceOption("allowance"), ChoiceOption("deduction")]),
            FieldDefinition("amount", .money, label: LocalizedText("金额", en: "Amount"), required: true, min: 0),
            FieldDefinition("reason", .text, label: LocalizedText("说明", en: "Reason"), required: true, maxLength: 200),
        ], indexes: [["period", "user"]])
    }

    /// The statuses of a run.
    static let runStatuses = ["草稿", "核算完成", "审批中", "已审批", "已发放"]
    /// Statuses in which a run and its payslips are locked.
    static let lockedStatuses: Set<String> = ["审批中", "已审批", "已发放"]

    /// 薪资核算: one month's run (正常, or a 补发/补扣 correction of a paid month).
    static var run: EntityDefinition {
        EntityDefinition("payroll_run", label: LocalizedText("薪资核算", en: "Payroll run"), titleField: "title", fields: [
            FieldDefinition("title", .text, label: LocalizedText("名称", en: "Title"), maxLength: 100),
            FieldDefinition("period", .text, label: LocalizedText("月份", en: "Month"), required: true, indexed: true, maxLength: 7,
                            pattern: "[0-9]{4}-(0[1-9]|1[0-2])"),
            FieldDefinition("kind", .choice, label: LocalizedText("类型", en: "Kind"), required: true,
                            options: [ChoiceOption("正常"), ChoiceOption("补发"), ChoiceOption("补扣")]),
            FieldDefinition("status", .choice, label: LocalizedText("状态", en: "Status"), options: runStatuses.map { ChoiceOption($0) }),
            FieldDefinition("headcount", .integer, label: LocalizedText("人数", en: "Headcount"), min: 0),
            FieldDefinition("gross", .money, label: LocalizedText("应发合计", en: "Gross total")),
            FieldDefinition("tax", .money, label: LocalizedText("个税合计", en: "Tax total")),
            FieldDefinition("net", .money, label: LocalizedText("实发合计", en: "Net total")),
            FieldDefinition("employer_cost", .money, label: LocalizedText("公司成本", en: "Employer cost")),
            FieldDefinition("approval", .integer, label: LocalizedText("审批单", en: "Approval request")),
            FieldDefinition("paid_on", .date, label: LocalizedText("发放日期", en: "Paid on")),
            FieldDefinition("note", .text, label: LocalizedText("备注", en: "Note"), maxLength: 500),
        ])
    }

    /// The money columns of a payslip, in the order of the printed form.
    static let payslipMoney: [(String, String, String)] = [
        ("base_salary", "基本工资", "Base salary"), ("commission", "提成工资", "Commission"), ("allowance", "津贴补贴", "Allowances"),
        ("bonus", "奖金", "Bonus"), ("deduction", "扣款", "Deductions"), ("gross", "应发工资", "Gross pay"),
        ("insurance_employee", "社保(个人)", "Social insurance (employee)"), ("fund_employee", "公积金(个人)", "Housing fund (employee)"),
        ("special_deduction", "专项附加扣除", "Special deductions"), ("tax", "个人所得税", "Income tax"), ("net", "实发工资", "Net pay"),
        ("insurance_employer", "社保(公司)", "Social insurance (employer)"), ("fund_employer", "公积金(公司)", "Housing fund (employer)"),
        ("ytd_income", "累计收入", "Income this year"), ("ytd_deductions", "累计扣除", "Deductions this year"),
        ("ytd_taxable", "累计应纳税所得额", "Taxable this year"), ("ytd_tax", "累计应纳税额", "Tax due this year"),
        ("tax_withheld_before", "已预扣税额", "Tax withheld before"),
    ]

    /// 工资条: one employee's pay in one run; its owner is the employee (each sees only their own).
    static var payslip: EntityDefinition {
        EntityDefinition("payslip", label: LocalizedText("工资条", en: "Payslip"), fields: [
            FieldDefinition("run", .reference, label: LocalizedText("薪资核算", en: "Run"), required: true, target: "payroll_run"),
            FieldDefinition("user", .user, label: LocalizedText("员工", en: "Employee"), required: true),
            FieldDefinition("period", .text, label: LocalizedText("月份", en: "Month"), maxLength: 7),
            FieldDefinition("kind", .text, label: LocalizedText("类型", en: "Kind"), maxLength: 8),
            FieldDefinition("team", .reference, label: LocalizedText("团队", en: "Team"), target: "team"),
        ] + payslipMoney.map { FieldDefinition($0.0, .money, label: LocalizedText($0.1, en: $0.2)) } + [
            FieldDefinition("tax_months", .integer, label: LocalizedText("累计月数", en: "Months this year"), min: 0),
            FieldDefinition("commission_lines", .longText, label: LocalizedText("提成明细", en: "Commission lines"), maxLength: 200_000),
            FieldDefinition("locked", .boolean, label: LocalizedText("已锁定", en: "Locked")),
            FieldDefinition("read", .boolean, label: LocalizedText("已读", en: "Read")),
            FieldDefinition("read_at", .datetime, label: LocalizedText("阅读时间", en: "Read at")),
        ], indexes: [["run", "user"], ["user", "period"]])
    }
}
