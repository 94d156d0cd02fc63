import CRMKernel

/// The entities of the service module, as declared data.
enum ServiceEntities {
    /// Channels a ticket may come from (the stock pack may add more with a field extension).
    static let channels = ["电话", "邮件", "在线", "微信", "网页表单", "API"]
    /// Priorities, most urgent first (escalation raises a ticket one step towards the front).
    static let priorities = ["紧急", "高", "中", "低"]

    /// `ticket` (工单).
    static var ticket: EntityDefinition {
        EntityDefinition("ticket", label: LocalizedText("工单", en: "Ticket"), titleField: "subject", fields: [
            FieldDefinition("number", .text, label: LocalizedText("工单编号", en: "Number"), unique: true, indexed: true, searchable: true, maxLength: 64),
            FieldDefinition("subject", .text, label: LocalizedText("主题", en: "Subject"), required: true, searchable: true, maxLength: 200),
            FieldDefinition("description", .longText, label: LocalizedText("问题描述", en: "Description"), searchable: true, maxLength: 20000),
            FieldDefinition("customer", .reference, label: LocalizedText("客户", en: "Customer"), indexed: true, target: "customer"),
            FieldDefinition("contact", .reference, label: LocalizedText("联系人", en: "Contact"), indexed: true, target: "contact"),
            FieldDefinition("requester_email", .email, label: LocalizedText("来信地址", en: "Requester e-mail"), indexed: true, maxLength: 254),
            FieldDefinition("requester_name", .text, label: LocalizedText("来访人", en: "Requester"), maxLength: 64),
            FieldDefinition("requester_phone", .phone, label: LocalizedText("来访电话", en: "Requester phone"), maxLength: 32),
            FieldDefinition("unmatched_sender", .boolean, label: LocalizedText("未识别发件人", en: "Unknown sender"), defaultValue: .bool(false), indexed: true),
            FieldDefinition.choice("channel", label: LocalizedText("渠道", en: "Channel"), channels, required: true, defaultValue: "API"),
            FieldDefinition("category", .text, label: LocalizedText("问题分类", en: "Category"), indexed: true, maxLength: 64),
            FieldDefinition("product", .integer, label: LocalizedText("产品", en: "Product"), indexed: true,
                            help: "产品记录编号（启用产品模块时核对；product record id, checked when products is enabled）"),
            FieldDefinition("order", .integer, label: LocalizedText("订单", en: "Order"), indexed: true,
                            help: "订单记录编号（启用订单模块时核对；order record id, checked when orders is enabled）"),
            FieldDefinition.choice("priority", label: LocalizedText("优先级", en: "Priority"), priorities, required: true, defaultValue: "中"),
            FieldDefinition.choice("status", label: LocalizedText("状态", en: "Status"), ServiceStatus.defaults, required: true, defaultValue: "新建"),
            FieldDefinition("assignee", .user, label: LocalizedText("处理人", en: "Assignee"), indexed: true),
            FieldDefinition("team", .reference, label: LocalizedText("团队", en: "Team"), indexed: true, target: "team"),
            FieldDefinition("tags", .tags, label: LocalizedText("标签", en: "Tags"), indexed: true),
            FieldDefinition("routing_rule", .text, label: LocalizedText("分派规则", en: "Routing rule"), maxLength: 100),
            FieldDefinition("invalid_reason", .text, label: LocalizedText("无效原因", en: "Invalid reason"), maxLength: 500),
            FieldDefinition("merged_into", .reference, label: LocalizedText("合并到", en: "Merged into"), indexed: true, target: "ticket"),
            FieldDefinition("first_response_at", .datetime, label: LocalizedText("首次响应时间", en: "First response"), indexed: true),
            FieldDefinition("solved_at", .datetime, label: LocalizedText("解决时间", en: "Solved at"), indexed: true),
            FieldDefinition("closed_at", .datetime, label: LocalizedText("关闭时间", en: "Closed at"), indexed: true),
            FieldDefinition("sla_escalated", .text, label: LocalizedText("SLA升级", en: "SLA escalation"), maxLength: 64,
                            help: "已执行的升级（warning、breach），避免重复执行（escalations already done）"),
            FieldDefinition("sla_response_seconds", .integer, label: LocalizedText("响应用时（工作秒）", en: "Response time (working s)"),
                            help: "解决时按日历计算并记录（recorded when solved）"),
            FieldDefinition("sla_resolution_seconds", .integer, label: LocalizedText("解决用时（工作秒）", en: "Resolution time (working s)")),
            FieldDefinition("sla_breached", .boolean, label: LocalizedText("SLA超时", en: "SLA breached"), indexed: true),
            FieldDefinition("form", .text, label: LocalizedText("来源表单", en: "Form"), maxLength: 64),
        ], indexes: [["status", "assignee"], ["team", "status"], ["customer", "status"], ["solved_at", "team"]])
    }

    /// `ticket_message`: one message of a ticket's conversation.
    static var message: EntityDefinition {
        EntityDefinition("ticket_message", label: LocalizedText("工单消息", en: "Ticket message"), titleField: "body", fields: [
            FieldDefinition("ticket", .reference, label: LocalizedText("工单", en: "Ticket"), required: true, indexed: true, target: "ticket"),
            FieldDefinition.choice("direction", label: LocalizedText("方向", en: "Direction"), ["in", "out", "internal"], required: true),
            FieldDefinition("body", .longText, label: LocalizedText("内容", en: "Body"), required: true, searchable: true, maxLength: 50000),
            FieldDefinition("author", .user, label: LocalizedText("回复人", en: "Author"), indexed: true),
            FieldDefinition("from_address", .text, label: LocalizedText("发件人", en: "From"), maxLength: 254),
            FieldDefinition("to_address", .text, label: LocalizedText("收件人", en: "To"), maxLength: 254),
            FieldDefinition("template", .reference, label: LocalizedText("回复模板", en: "Template"), target: "reply_template"),
            FieldDefinition("article", .reference, label: LocalizedText("知识库文章", en: "Article"), indexed: true, target: "kb_article"),
            FieldDefinition.choice("delivery", label: LocalizedText("发送状态", en: "Delivery"), ["待发送", "已发送", "发送失败", "无需发送"], indexed: true),
            FieldDefinition("delivery_error", .text, label: LocalizedText("发送错误", en: "Delivery error"), maxLength: 500),
            FieldDefinition("at", .datetime, label: LocalizedText("时间", en: "At"), required: true, indexed: true),
        ], indexes: [["ticket", "at"]])
    }

    /// `ticket_status`: one stay of a ticket in a status (the SLA clock is computed from these).
    static var statusHistory: EntityDefinition {
        EntityDefinition("ticket_status", label: LocalizedText("工单状态历史", en: "Ticket status history"), titleField: "status", fields: [
            FieldDefinition("ticket", .reference, label: LocalizedText("工单", en: "Ticket"), required: true, indexed: true, target: "ticket"),
            FieldDefinition("status", .text, label: LocalizedText("状态", en: "Status"), required: true, maxLength: 64),
            FieldDefinition("from_status", .text, label: LocalizedText("原状态", en: "From"), maxLength: 64),
            FieldDefinition("at", .datetime, label: LocalizedText("时间", en: "At"), required: true, indexed: true),
            FieldDefinition("moved_by", .user, label: LocalizedText("操作人", en: "By")),
        ], indexes: [["ticket", "at"]])
    }

    /// `ticket_rating`: the satisfaction rating asked for a solved ticket (one per ticket).
    static var rating: EntityDefinition {
        EntityDefinition("ticket_rating", label: LocalizedText("满意度评价", en: "Satisfaction rating"), titleField: "score", fields: [
            FieldDefinition("ticket", .reference, label: LocalizedText("工单", en: "Ticket"), required: true, unique: true, indexed: true, target: "ticket"),
            FieldDefinition("agent", .user, label: LocalizedText("处理人", en: "Agent"), indexed: true),
            FieldDefinition("team", .reference, label: LocalizedText("团队", en: "Team"), indexed: true, target: "team"),
            FieldDefinition("score", .integer, label: LocalizedText("评分", en: "Score"), min: 1, max: 5),
            FieldDefinition("comment", .longText, label: LocalizedText("评价内容", en: "Comment"), maxLength: 2000),
            FieldDefinition("nonce", .text, label: LocalizedText("签名密钥", en: "Signing key"), maxLength: 64, secret: true),
            FieldDefinition("asked_at", .datetime, label: LocalizedText("邀请时间", en: "Asked at"), required: true, indexed: true),
            FieldDefinition("expires_at", .datetime, label: LocalizedText("失效时间", en: "Expires at"), required: true),
            FieldDefinition("rated_at", .datetime, label: LocalizedText("评价时间", en: "Rated at"), indexed: true),
        ], indexes: [["agent", "rated_at"]])
    }

    /// `reply_template` (快捷回复): a reply with `{{variables}}`, per team.
    static var template: EntityDefinition {
        EntityDefinition("reply_template", label: LocalizedText("快捷回复", en: "Reply template"), titleField: "name", fields: [
            FieldDefinition("name", .text, label: LocalizedText("名称", en: "Name"), required: true, unique: true, searchable: true, maxLength: 100),
            FieldDefinition("team", .reference, label: LocalizedText("团队", en: "Team"), indexed: true, target: "team"),
            FieldDefinition("category", .text, label: LocalizedText("问题分类", en: "Category"), maxLength: 64),
            FieldDefinition("body", .longText, label: LocalizedText("内容", en: "Body"), required: true, searchable: true, maxLength: 20000,
                            help: "可用变量：{{customer}} {{contact}} {{number}} {{subject}} {{agent}} {{status}}"),
        ])
    }

    /// `kb_category`: a node of the knowledge base's category tree.
    static var category: EntityDefinition {
        EntityDefinition("kb_category", label: LocalizedText("知识分类", en: "Knowledge category"), titleField: "name", fields: [
            FieldDefinition("name", .text, label: LocalizedText("名称", en: "Name"), required: true, indexed: true, maxLength: 100),
            FieldDefinition("parent", .reference, label: LocalizedText("上级分类", en: "Parent"), indexed: true, target: "kb_category"),
        ])
    }

    /// `kb_article` (知识库文章).
    static var article: EntityDefinition {
        EntityDefinition("kb_article", label: LocalizedText("知识库文章", en: "Knowledge article"), titleField: "title", fields: [
            FieldDefinition("title", .text, label: LocalizedText("标题", en: "Title"), required: true, searchable: true, maxLength: 200),
            FieldDefinition("body", .longText, label: LocalizedText("正文", en: "Body"), required: true, searchable: true, maxLength: 100000),
            FieldDefinition("category", .reference, label: LocalizedText("分类", en: "Category"), indexed: true, target: "kb_category"),
            FieldDefinition("keywords", .tags, label: LocalizedText("关键词", en: "Keywords"), searchable: true),
            FieldDefinition.choice("status", label: LocalizedText("状态", en: "Status"), ["草稿", "审核中", "已发布", "已归档"], required: true, defaultValue: "草稿"),
            FieldDefinition("helpful", .integer, label: LocalizedText("有帮助", en: "Helpful"), defaultValue: .integer(0), min: 0),
            FieldDefinition("not_helpful", .integer, label: LocalizedText("没帮助", en: "Not helpful"), defaultValue: .integer(0), min: 0),
            FieldDefinition("used", .integer, label: LocalizedText("引用次数", en: "Used in tickets"), defaultValue: .integer(0), min: 0),
            FieldDefinition("published_at", .datetime, label: LocalizedText("发布时间", en: "Published at"), indexed: true),
            // (status, -helpful, id): a search for a common term walks the published articles
            // most helpful first and stops at the page instead of sorting every match.
        ], indexes: [["status", "category"], ["status", "-helpful", "id"]])
    }

    /// `service_route_cursor`: where a team's round-robin rotation stands.
    static var cursor: EntityDefinition {
        EntityDefinition("service_route_cursor", label: LocalizedText("工单轮转位置", en: "Ticket rotation"), titleField: "team", fields: [
            FieldDefinition("team", .reference, label: LocalizedText("团队", en: "Team"), required: true, unique: true, target: "team"),
            FieldDefinition("position", .integer, label: LocalizedText("位置", en: "Position"), required: true, min: 0),
            FieldDefinition("routed", .integer, label: LocalizedText("已分派", en: "Routed"), required: true, min: 0),
        ])
    }

    /// Agents' skills and availability on `user`.
    static var agentFields: [FieldExtension] {
        [
            FieldExtension(entity: "user", field: FieldDefinition("service_skills", .tags, label: LocalizedText("客服技能", en: "Service skills"),
                                                                   help: "问题分类或产品名（categories or product names the agent handles）")),
            FieldExtension(entity: "user", field: FieldDefinition("service_available", .boolean, label: LocalizedText("接单中", en: "Taking tickets"),
                                                                   defaultValue: .bool(false))),
        ]
    }
}
