import CRMKernel

/// The module's entities: `opportunity`, its stage history `opportunity_stage`, and `sales_target`.
enum OpportunityEntities {
    /// 商机. Stages come from `crm.stages("opportunity", ...)`; the module stamps `pipeline`,
    /// `stage_entered_at`, `opened_at`, `won_date`, `closed_date` and `cycle_days`.
    static var opportunity: EntityDefinition {
        EntityDefinition("opportunity", label: LocalizedText("商机", en: "Opportunity"), titleField: "name", fields: [
            FieldDefinition("name", .text, label: LocalizedText("商机名称", en: "Name"), required: true, searchable: true, maxLength: 200),
            FieldDefinition("customer", .reference, label: LocalizedText("客户", en: "Customer"), required: true, target: "customer"),
            FieldDefinition("contact", .reference, label: LocalizedText("联系人", en: "Contact"), target: "contact"),
            FieldDefinition("amount", .money, label: LocalizedText("预计金额", en: "Amount"), min: 0),
            FieldDefinition("expected_close_date", .date, label: LocalizedText("预计成交日期", en: "Expected close date"), indexed: true),
            FieldDefinition("stage", .choice, label: LocalizedText("销售阶段", en: "Stage")),  // indexed by (stage, amount)
            FieldDefinition("probability", .integer, label: LocalizedText("赢率(%)", en: "Probability (%)"), min: 0, max: 100),
            FieldDefinition("competitor", .text, label: LocalizedText("竞争对手", en: "Competitor"), maxLength: 200),
            FieldDefinition("next_step", .text, label: LocalizedText("下一步", en: "Next step"), maxLength: 500),
            FieldDefinition("loss_reason", .text, label: LocalizedText("输单原因", en: "Loss reason"), maxLength: 500),
            FieldDefinition("won_date", .date, label: LocalizedText("赢单日期", en: "Won date")),
            FieldDefinition("closed_date", .date, label: LocalizedText("关闭日期", en: "Closed date"), indexed: true),
            FieldDefinition("pipeline", .text, label: LocalizedText("销售流程", en: "Pipeline"), maxLength: 64),
            FieldDefinition("stage_entered_at", .datetime, label: LocalizedText("进入阶段时间", en: "Entered stage at")),
            FieldDefinition("opened_at", .datetime, label: LocalizedText("立项时间", en: "Opened at")),
            FieldDefinition("cycle_days", .integer, label: LocalizedText("成交周期(天)", en: "Cycle (days)"), min: 0),
        ], indexes: [
            ["stage", "amount"],                                              // company funnel, covering
            ["owner", "stage", "amount"],                                     // team / person funnel, covering
            ["stage", "expected_close_date", "probability", "owner", "amount"], // weighted forecast, covering
            ["won_date", "owner", "amount"],                                  // won per month, covering
            ["stage", "stage_entered_at"],                                    // stalled deals: range per stage
        ])
    }

    /// 阶段历史: one row per stay of an opportunity in a stage, written in the transaction that
    /// moves it. `left_at`, `next_stage` and `dwell_seconds` are filled when it leaves the stage;
    /// `amount` and `owner` follow the opportunity while the stay is open.
    static var stageHistory: EntityDefinition {
        EntityDefinition("opportunity_stage", label: LocalizedText("阶段历史", en: "Stage history"), fields: [
            FieldDefinition("opportunity", .reference, label: LocalizedText("商机", en: "Opportunity"), required: true, target: "opportunity"),
            FieldDefinition("pipeline", .text, label: LocalizedText("销售流程", en: "Pipeline"), maxLength: 64),
            FieldDefinition("from_stage", .text, label: LocalizedText("原阶段", en: "From stage"), maxLength: 64),
            FieldDefinition("to_stage", .text, label: LocalizedText("新阶段", en: "To stage"), required: true, maxLength: 64),
            FieldDefinition("moved_by", .user, label: LocalizedText("操作人", en: "Moved by")),
            FieldDefinition("at", .datetime, label: LocalizedText("进入时间", en: "Entered at"), required: true, indexed: true),
            FieldDefinition("left_at", .datetime, label: LocalizedText("离开时间", en: "Left at")),
            FieldDefinition("next_stage", .text, label: LocalizedText("下一阶段", en: "Next stage"), maxLength: 64),
            FieldDefinition("dwell_seconds", .integer, label: LocalizedText("停留秒数", en: "Dwell (s)"), min: 0),
            FieldDefinition("amount", .money, label: LocalizedText("金额", en: "Amount")).derived(from: ["opportunity.amount"]),
        ], indexes: [["to_stage", "next_stage"], ["opportunity", "left_at"]])  // conversion; the open stay
    }

    /// 销售目标: a quota for one user or one team (or the company: neither) for a month
    /// (`2026-11`), quarter (`2026-Q4`) or year (`2026`), at a level (目标 by default, 冲刺, 挑战),
    /// with an `amount` or, for counted measures, a `quantity`. The finance module adds `kind`
    /// (签约 by default, 回款).
    static var salesTarget: EntityDefinition {
        EntityDefinition("sales_target", label: LocalizedText("销售目标", en: "Sales target"), fields: [
            FieldDefinition("user", .user, label: LocalizedText("人员", en: "User"), indexed: true),
            FieldDefinition("team", .reference, label: LocalizedText("团队", en: "Team"), target: "team"),
            FieldDefinition("period", .text, label: LocalizedText("期间", en: "Period"), required: true, indexed: true, maxLength: 7,
                            pattern: "[0-9]{4}(-(0[1-9]|1[0-2]|Q[1-4]))?", help: "2026-11、2026-Q4 或 2026"),
            FieldDefinition("amount", .money, label: LocalizedText("目标金额", en: "Target amount"), min: 0),
            FieldDefinition("level", .choice, label: LocalizedText("目标级别", en: "Level"),
                            options: [ChoiceOption("目标"), ChoiceOption("冲刺"), ChoiceOption("挑战")]),
            FieldDefinition("quantity", .integer, label: LocalizedText("目标数量", en: "Target quantity"), min: 0),
        ])
    }
}
