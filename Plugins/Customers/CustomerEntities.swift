import CRMKernel

/// The entities of the customers module, as declared data.
enum CustomerEntities {
    /// Lifecycle statuses of a customer.
    static let lifecycle = CustomerLifecycle.all

    static var customer: EntityDefinition {
        EntityDefinition("customer", label: LocalizedText("客户", en: "Customer"), titleField: "name", fields: [
            FieldDefinition("name", .text, label: LocalizedText("客户名称", en: "Customer name"), required: true, indexed: true, searchable: true, maxLength: 200),
            FieldDefinition("contact_name", .text, label: LocalizedText("联系人", en: "Contact person"), searchable: true, maxLength: 64),
            FieldDefinition("phone", .phone, label: LocalizedText("联系方式", en: "Phone"), required: true, indexed: true, searchable: true, maxLength: 32),
            FieldDefinition("industry", .choice, label: LocalizedText("所属行业", en: "Industry"), required: true, indexed: true),
            FieldDefinition("source", .choice, label: LocalizedText("客户来源", en: "Source"), required: true, indexed: true),
            FieldDefinition("grade", .choice, label: LocalizedText("客户等级", en: "Grade"), indexed: true),
            FieldDefinition("lifecycle", .choice, label: LocalizedText("客户状态", en: "Lifecycle"), defaultValue: .text(CustomerLifecycle.prospect), indexed: true,
                            options: lifecycle.map { ChoiceOption($0) }),
            FieldDefinition("requirements", .longText, label: LocalizedText("需求描述", en: "Requirements"), maxLength: 5000),
            FieldDefinition("entry_date", .date, label: LocalizedText("录入日期", en: "Entry date")),
            FieldDefinition("province", .text, label: LocalizedText("省份", en: "Province"), indexed: true, maxLength: 32),
            FieldDefinition("city", .text, label: LocalizedText("城市", en: "City"), indexed: true, maxLength: 32),
            FieldDefinition("address", .text, label: LocalizedText("详细地址", en: "Address"), maxLength: 200),
            FieldDefinition("email", .email, label: LocalizedText("邮箱", en: "Email"), maxLength: 254),
            FieldDefinition("website", .url, label: LocalizedText("网站", en: "Website"), maxLength: 300),
            FieldDefinition("credit_code", .text, label: LocalizedText("统一社会信用代码", en: "Unified social credit code"), indexed: true,
                            maxLength: 18, pattern: "[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}"),
            FieldDefinition("tags", .tags, label: LocalizedText("标签", en: "Tags"), indexed: true, searchable: true),
            FieldDefinition("notes", .longText, label: LocalizedText("备注", en: "Notes"), maxLength: 5000),
            FieldDefinition("last_followup_at", .datetime, label: LocalizedText("最后跟进时间", en: "Last follow-up"), indexed: true),
            FieldDefinition("next_followup_at", .datetime, label: LocalizedText("下次跟进时间", en: "Next follow-up"), indexed: true),
        ])
    }

    static var contact: EntityDefinition {
        EntityDefinition("contact", label: LocalizedText("联系人", en: "Contact"), titleField: "name", fields: [
            FieldDefinition("customer", .reference, label: LocalizedText("所属客户", en: "Customer"), required: true, target: "customer"),
            FieldDefinition("name", .text, label: LocalizedText("姓名", en: "Name"), required: true, searchable: true, maxLength: 64),
            FieldDefinition("title", .text, label: LocalizedText("职务", en: "Title"), maxLength: 64),
            FieldDefinition("phone", .phone, label: LocalizedText("电话", en: "Phone"), indexed: true, searchable: true, maxLength: 32),
            FieldDefinition("email", .email, label: LocalizedText("邮箱", en: "Email"), maxLength: 254),
            FieldDefinition("wechat", .text, label: LocalizedText("微信", en: "WeChat"), maxLength: 64),
            FieldDefinition("birthday", .date, label: LocalizedText("生日", en: "Birthday")),
            FieldDefinition("is_primary", .boolean, label: LocalizedText("主联系人", en: "Primary contact"), defaultValue: .bool(false)),
            FieldDefinition("notes", .longText, label: LocalizedText("备注", en: "Notes"), maxLength: 5000),
        ])
    }

    static var followup: EntityDefinition {
        EntityDefinition("followup", label: LocalizedText("跟进记录", en: "Follow-up"), titleField: "subject", fields: [
            FieldDefinition("customer", .reference, label: LocalizedText("客户", en: "Customer"), required: true, target: "customer"),
            FieldDefinition("contact", .reference, label: LocalizedText("联系人", en: "Contact"), target: "contact"),
            FieldDefinition.choice("type", label: LocalizedText("跟进方式", en: "Type"), ["电话", "拜访", "邮件", "会议", "微信"], required: true),
            FieldDefinition("subject", .text, label: LocalizedText("主题", en: "Subject"), searchable: true, maxLength: 200),
            FieldDefinition("content", .longText, label: LocalizedText("跟进内容", en: "Content"), required: true, searchable: true, maxLength: 10000),
            FieldDefinition("result", .text, label: LocalizedText("跟进结果", en: "Result"), maxLength: 500),
            FieldDefinition("next_step", .text, label: LocalizedText("下一步", en: "Next step"), maxLength: 500),
            FieldDefinition("next_followup_at", .datetime, label: LocalizedText("下次跟进时间", en: "Next follow-up")),
            FieldDefinition("followed_at", .datetime, label: LocalizedText("跟进时间", en: "Followed at"), indexed: true),
        ])
    }

    static var task: EntityDefinition {
        EntityDefinition("task", label: LocalizedText("任务", en: "Task"), titleField: "title", fields: [
            FieldDefinition("title", .text, label: LocalizedText("任务标题", en: "Title"), required: true, searchable: true, maxLength: 200),
            FieldDefinition("customer", .reference, label: LocalizedText("客户", en: "Customer"), target: "customer"),
            FieldDefinition("assignee", .user, label: LocalizedText("执行人", en: "Assignee"), indexed: true),
            FieldDefinition.choice("priority", label: LocalizedText("优先级", en: "Priority"), ["高", "中", "低"], defaultValue: "中"),
            FieldDefinition("due_at", .datetime, label: LocalizedText("截止时间", en: "Due"), indexed: true),
            FieldDefinition("remind_at", .datetime, label: LocalizedText("提醒时间", en: "Reminder"), indexed: true),
            FieldDefinition.choice("status", label: LocalizedText("状态", en: "Status"), TaskRules.statuses, defaultValue: TaskStatus.pending),
            FieldDefinition("description", .longText, label: LocalizedText("描述", en: "Description"), maxLength: 5000),
        ])
    }
}
