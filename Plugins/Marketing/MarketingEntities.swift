import CRMKernel

/// The statuses of a campaign and of a lead, in order.
public enum MarketingStatus {
    /// 策划中 → 进行中 → 已结束, or 已取消.
    public static let campaign = ["策划中", "进行中", "已结束", "已取消"]
    /// A new lead nobody owns yet.
    public static let new = "新线索"
    /// Given to a salesperson, not yet followed up.
    public static let assigned = "已分配"
    /// Followed up at least once.
    public static let working = "跟进中"
    /// Converted into a customer (locked).
    public static let converted = "已转化"
    /// Not a real lead (a reason is required).
    public static let invalid = "无效"
    /// Back in the lead pool (线索池) for anyone to claim.
    public static let pooled = "退回线索池"
    /// Every lead status.
    public static let lead = [new, assigned, working, converted, invalid, pooled]
    /// Statuses of a lead somebody should be working on.
    public static let open = [new, assigned, working]
}

/// The entities of the marketing module, as declared data.
enum MarketingEntities {
    /// Campaign types the module starts with (the stock pack may change them).
    static let campaignTypes = ["展会", "线上广告", "研讨会", "邮件", "短信", "社交媒体", "其他"]
    /// Lead sources the module starts with (the stock pack may change them).
    static let leadSources = ["官网表单", "线上广告", "展会", "社交媒体", "研讨会", "电话营销", "转介绍", "其他"]

    /// `campaign` (市场活动).
    static var campaign: EntityDefinition {
        EntityDefinition("campaign", label: LocalizedText("市场活动", en: "Campaign"), titleField: "name", fields: [
            FieldDefinition("name", .text, label: LocalizedText("活动名称", en: "Name"), required: true, indexed: true, searchable: true, maxLength: 200),
            FieldDefinition.choice("type", label: LocalizedText("活动类型", en: "Type"), campaignTypes, required: true),
            FieldDefinition.choice("status", label: LocalizedText("状态", en: "Status"), MarketingStatus.campaign, required: true, defaultValue: "策划中"),
            FieldDefinition("start_date", .date, label: LocalizedText("开始日期", en: "Start date"), indexed: true),
            FieldDefinition("end_date", .date, label: LocalizedText("结束日期", en: "End date")),
            FieldDefinition("budget", .money, label: LocalizedText("预算", en: "Budget"), min: 0),
            FieldDefinition("expected_cost", .money, label: LocalizedText("预计成本", en: "Expected cost"), min: 0,
                            help: "由预计成本明细汇总（maintained from the cost lines）"),
            FieldDefinition("actual_cost", .money, label: LocalizedText("实际成本", en: "Actual cost"), min: 0,
                            help: "由实际成本明细汇总（maintained from the cost lines）"),
            FieldDefinition("expected_revenue", .money, label: LocalizedText("预计收入", en: "Expected revenue"), min: 0),
            FieldDefinition("audience", .longText, label: LocalizedText("目标客户筛选", en: "Target audience"), maxLength: 5000,
                            help: "客户筛选条件（JSON，如 {\"province\":\"广东\"} 或 {\"all\":[...]}）"),
            FieldDefinition("review", .longText, label: LocalizedText("活动复盘", en: "Review"), maxLength: 20000),
        ])
    }

    /// `campaign_cost`: one expected or actual cost line of a campaign.
    static var cost: EntityDefinition {
        EntityDefinition("campaign_cost", label: LocalizedText("活动成本", en: "Campaign cost"), titleField: "item", fields: [
            FieldDefinition("campaign", .reference, label: LocalizedText("市场活动", en: "Campaign"), required: true, indexed: true, target: "campaign"),
            FieldDefinition("item", .text, label: LocalizedText("费用项目", en: "Item"), required: true, maxLength: 200),
            FieldDefinition.choice("kind", label: LocalizedText("类别", en: "Kind"), ["预计", "实际"], required: true, defaultValue: "实际"),
            FieldDefinition("amount", .money, label: LocalizedText("金额", en: "Amount"), required: true, min: 0),
            FieldDefinition("incurred_on", .date, label: LocalizedText("发生日期", en: "Date")),
        ])
    }

    /// `lead` (线索).
    static var lead: EntityDefinition {
        EntityDefinition("lead", label: LocalizedText("线索", en: "Lead"), titleField: "name", fields: [
            FieldDefinition("name", .text, label: LocalizedText("姓名", en: "Name"), required: true, searchable: true, maxLength: 64),
            FieldDefinition("company", .text, label: LocalizedText("公司", en: "Company"), searchable: true, maxLength: 200),
            FieldDefinition("title", .text, label: LocalizedText("职务", en: "Title"), maxLength: 64),
            FieldDefinition("phone", .phone, label: LocalizedText("电话", en: "Phone"), searchable: true, maxLength: 32),
            FieldDefinition("email", .email, label: LocalizedText("邮箱", en: "Email"), maxLength: 254),
            FieldDefinition("region", .text, label: LocalizedText("地区", en: "Region"), indexed: true, maxLength: 32),
            FieldDefinition("product_interest", .text, label: LocalizedText("意向产品", en: "Product interest"), indexed: true, maxLength: 100),
            FieldDefinition.choice("source", label: LocalizedText("线索来源", en: "Source"), leadSources, required: true),
            FieldDefinition("campaign", .reference, label: LocalizedText("市场活动", en: "Campaign"), indexed: true, target: "campaign"),
            FieldDefinition("utm_source", .text, label: LocalizedText("UTM来源", en: "UTM source"), maxLength: 100),
            FieldDefinition("utm_medium", .text, label: LocalizedText("UTM媒介", en: "UTM medium"), maxLength: 100),
            FieldDefinition("utm_campaign", .text, label: LocalizedText("UTM活动", en: "UTM campaign"), maxLength: 100),
            FieldDefinition("message", .longText, label: LocalizedText("留言", en: "Message"), maxLength: 5000),
            FieldDefinition("score", .integer, label: LocalizedText("线索评分", en: "Score"), indexed: true, min: 0, max: 100,
                            help: "由评分策略 marketing.score 计算（computed by the marketing.score policy）"),
            FieldDefinition.choice("status", label: LocalizedText("状态", en: "Status"), MarketingStatus.lead, required: true, defaultValue: MarketingStatus.new),
            FieldDefinition("invalid_reason", .text, label: LocalizedText("无效原因", en: "Invalid reason"), maxLength: 500),
            FieldDefinition("phone_key", .text, label: LocalizedText("电话查重键", en: "Phone key"), indexed: true).derived(from: ["phone"]),
            FieldDefinition("email_key", .text, label: LocalizedText("邮箱查重键", en: "Email key"), indexed: true).derived(from: ["email"]),
            FieldDefinition("touches", .integer, label: LocalizedText("接触次数", en: "Touches"), defaultValue: .integer(1), min: 0),
            FieldDefinition("last_touch_at", .datetime, label: LocalizedText("最近接触时间", en: "Last touch"), indexed: true),
            FieldDefinition("assigned_at", .datetime, label: LocalizedText("分配时间", en: "Assigned at"), indexed: true),
            FieldDefinition("assignment_rule", .text, label: LocalizedText("分配规则", en: "Assignment rule"), maxLength: 100),
            FieldDefinition("last_followup_at", .datetime, label: LocalizedText("最后跟进时间", en: "Last follow-up"), indexed: true),
            FieldDefinition("pool_warned_at", .datetime, label: LocalizedText("回收提醒时间", en: "Pool warning sent")),
            FieldDefinition("capture_form", .text, label: LocalizedText("采集表单", en: "Capture form"), maxLength: 64),
            FieldDefinition("customer", .reference, label: LocalizedText("转化客户", en: "Customer"), indexed: true, target: "customer"),
            FieldDefinition("contact", .reference, label: LocalizedText("转化联系人", en: "Contact"), target: "contact"),
            FieldDefinition("opportunity", .reference, label: LocalizedText("转化商机", en: "Opportunity"), target: "opportunity"),
            FieldDefinition("converted_at", .datetime, label: LocalizedText("转化时间", en: "Converted at"), indexed: true),
        ], indexes: [["campaign", "status"], ["status", "last_followup_at"], ["owner", "status"]])
    }

    /// `lead_touch`: one contact of a lead with the company (a capture, a repeat, an import).
    static var touch: EntityDefinition {
        EntityDefinition("lead_touch", label: LocalizedText("线索接触", en: "Lead touch"), titleField: "source", fields: [
            FieldDefinition("lead", .reference, label: LocalizedText("线索", en: "Lead"), required: true, indexed: true, target: "lead"),
            FieldDefinition("campaign", .reference, label: LocalizedText("市场活动", en: "Campaign"), indexed: true, target: "campaign"),
            FieldDefinition("source", .text, label: LocalizedText("来源", en: "Source"), maxLength: 64),
            FieldDefinition("form", .text, label: LocalizedText("采集表单", en: "Form"), maxLength: 64),
            FieldDefinition("utm_source", .text, label: LocalizedText("UTM来源", en: "UTM source"), maxLength: 100),
            FieldDefinition("utm_medium", .text, label: LocalizedText("UTM媒介", en: "UTM medium"), maxLength: 100),
            FieldDefinition("utm_campaign", .text, label: LocalizedText("UTM活动", en: "UTM campaign"), maxLength: 100),
            FieldDefinition("message", .longText, label: LocalizedText("留言", en: "Message"), maxLength: 5000),
            FieldDefinition("at", .datetime, label: LocalizedText("时间", en: "At"), required: true, indexed: true),
        ])
    }

    /// `lead_assignment_count`: leads given to one user on one day (by the assignment rules),
    /// the daily and 30-day caps are counted from these rows.
    static var assignmentCount: EntityDefinition {
        EntityDefinition("lead_assignment_count", label: LocalizedText("线索分配计数", en: "Lead assignment count"), titleField: "day", fields: [
            FieldDefinition("user", .user, label: LocalizedText("人员", en: "User"), required: true, indexed: true),
            FieldDefinition("day", .text, label: LocalizedText("日期", en: "Day"), required: true, indexed: true, maxLength: 10),
            FieldDefinition("count", .integer, label: LocalizedText("分配数", en: "Count"), required: true, min: 0),
        ], indexes: [["user", "day"]])
    }

    /// `lead_rule_cursor`: where a round-robin rule's rotation stands.
    static var ruleCursor: EntityDefinition {
        EntityDefinition("lead_rule_cursor", label: LocalizedText("分配轮转位置", en: "Round-robin position"), titleField: "rule", fields: [
            FieldDefinition("rule", .text, label: LocalizedText("规则", en: "Rule"), required: true, unique: true, maxLength: 100),
            FieldDefinition("position", .integer, label: LocalizedText("位置", en: "Position"), required: true, min: 0),
        ])
    }

    /// `lead_pool_event`: claims, returns and reclaims of leads (quotas and cooldowns count these).
    static var poolEvent: EntityDefinition {
        EntityDefinition("lead_pool_event", label: LocalizedText("线索池记录", en: "Lead pool event"), titleField: "action", fields: [
            FieldDefinition("lead", .reference, label: LocalizedText("线索", en: "Lead"), required: true, indexed: true, target: "lead"),
            FieldDefinition.choice("action", label: LocalizedText("动作", en: "Action"), ["领取", "退回", "回收"], required: true),
            FieldDefinition("user", .user, label: LocalizedText("操作人", en: "User"), indexed: true),
            FieldDefinition("previous_owner", .user, label: LocalizedText("原负责人", en: "Previous owner"), indexed: true),
            FieldDefinition("reason", .text, label: LocalizedText("原因", en: "Reason"), maxLength: 500),
            FieldDefinition("at", .datetime, label: LocalizedText("时间", en: "At"), required: true, indexed: true),
        ])
    }

    /// Follow-ups and tasks of the customers module serve leads too: a `lead` reference on
    /// each, and a follow-up names a customer or a lead (no longer always a customer).
    static var extensions: [FieldExtension] {
        [
            FieldExtension(entity: "followup", field: FieldDefinition("customer", .reference, label: LocalizedText("客户", en: "Customer"), target: "customer",
                                                                       help: "客户或线索二选一（a customer or a lead）")),
            FieldExtension(entity: "followup", field: FieldDefinition("lead", .reference, label: LocalizedText("线索", en: "Lead"), indexed: true, target: "lead")),
            FieldExtension(entity: "task", field: FieldDefinition("lead", .reference, label: LocalizedText("线索", en: "Lead"), indexed: true, target: "lead")),
        ]
    }
}

extension MarketingEntities {
    /// `user.on_leave`: a user on leave is given no leads by the assignment rules.
    static var onLeave: FieldExtension {
        FieldExtension(entity: "user", field: FieldDefinition("on_leave", .boolean, label: LocalizedText("休假中（暂停分配线索）", en: "On leave (no leads)"),
                                                               defaultValue: .bool(false)))
    }
}

extension MarketingEntities {
    /// `campaign_attribution`: a won deal's amount credited to a campaign by the attribution
    /// policy in force when the deal was won (or last re-attributed), in fen.
    static var attribution: EntityDefinition {
        EntityDefinition("campaign_attribution", label: LocalizedText("活动业绩归因", en: "Campaign attribution"), titleField: "model", fields: [
            FieldDefinition("campaign", .reference, label: LocalizedText("市场活动", en: "Campaign"), required: true, indexed: true, target: "campaign"),
            FieldDefinition("opportunity", .reference, label: LocalizedText("商机", en: "Opportunity"), required: true, indexed: true, target: "opportunity"),
            FieldDefinition("customer", .reference, label: LocalizedText("客户", en: "Customer"), target: "customer"),
            FieldDefinition("amount", .money, label: LocalizedText("归因金额", en: "Attributed amount"), required: true),
            FieldDefinition("model", .text, label: LocalizedText("归因模型", en: "Model"), required: true, maxLength: 64),
            FieldDefinition("at", .datetime, label: LocalizedText("时间", en: "At"), required: true),
        ], indexes: [["campaign", "model", "amount"]])
    }
}
