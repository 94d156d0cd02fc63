/// The entities the kernel itself owns: users and teams, so every record can have an owner, and
/// the notifications any module may send them, and the webhooks that carry events out.
public enum KernelEntities {
    /// Stock roles by id with their labels. Grants come with the permissions layer.
    public static let stockRoles: [(id: String, label: LocalizedText)] = [
        ("admin", LocalizedText("超级管理员", en: "Administrator")),
        ("sales_manager", LocalizedText("销售经理", en: "Sales manager")),
        ("sales_rep", LocalizedText("销售专员", en: "Sales representative")),
        ("marketing_manager", LocalizedText("市场经理", en: "Marketing manager")),
        ("service_manager", LocalizedText("客服主管", en: "Service manager")),
        ("service_agent", LocalizedText("客服专员", en: "Service agent")),
        ("finance", LocalizedText("财务", en: "Finance")),
    ]

    /// `user`, `team`, `notification`, `webhook`, `comment`, `report_template` and `message` (the outbox of e-mails and texts).
    public static var declarations: SchemaDeclarations {
        let roles = stockRoles.map { ChoiceOption($0.id, label: $0.label) }
        let user = EntityDefinition("user", label: LocalizedText("用户", en: "User"), titleField: "display_name", fields: [
            FieldDefinition("name", .text, label: LocalizedText("登录名", en: "Login name"), required: true, unique: true,
                            maxLength: 64, pattern: "[A-Za-z0-9_.@-]+"),
            FieldDefinition("display_name", .text, label: LocalizedText("姓名", en: "Display name"), searchable: true, maxLength: 64),
            FieldDefinition("role", .choice, label: LocalizedText("角色", en: "Role"), required: true, indexed: true, options: roles),
            FieldDefinition("team", .reference, label: LocalizedText("团队", en: "Team"), target: "team"),
            FieldDefinition("manager", .user, label: LocalizedText("上级", en: "Manager")),
            FieldDefinition("email", .email, label: LocalizedText("邮箱", en: "Email"), maxLength: 254),
            FieldDefinition("phone", .phone, label: LocalizedText("手机", en: "Mobile"), maxLength: 32),
            FieldDefinition("active", .boolean, label: LocalizedText("启用", en: "Active"), defaultValue: .bool(true)),
        ])
        let team = EntityDefinition("team", label: LocalizedText("团队", en: "Team"), titleField: "name", fields: [
            FieldDefinition("name", .text, label: LocalizedText("团队名称", en: "Team name"), required: true, unique: true, maxLength: 64),
            FieldDefinition("parent", .reference, label: LocalizedText("上级团队", en: "Parent team"), target: "team"),
            FieldDefinition("manager", .user, label: LocalizedText("负责人", en: "Manager")),
        ])
        let webhook = EntityDefinition("webhook", label: LocalizedText("Webhook", en: "Webhook"), titleField: "url", fields: [
            FieldDefinition("url", .url, label: LocalizedText("推送地址", en: "URL"), required: true, maxLength: 500),
            FieldDefinition("events", .tags, label: LocalizedText("订阅事件", en: "Events"), required: true,
                            help: "事件名，如 customer.after_create；customer.* 或 * 表示全部"),
            FieldDefinition("secret", .text, label: LocalizedText("签名密钥", en: "Signing secret"), required: true, maxLength: 200,
                            help: "只写：保存后不再显示", secret: true),
            FieldDefinition("active", .boolean, label: LocalizedText("启用", en: "Active"), defaultValue: .bool(true)),
            FieldDefinition("description", .text, label: LocalizedText("说明", en: "Description"), maxLength: 200),
        ])
        return SchemaDeclarations(entities: [team, user, Notifications.entity, webhook, Comments.entity, SavedReports.entity, MessageEntity.entity])
    }
}
