import CRMKernel
import Foundation

/// E-mail and SMS templates (`message_template`) with `{{entity.field}}` variables, the opt-out
/// list (`message_opt_out`, 退订) and the per-recipient send log (`marketing_send`).
enum MessageTemplates {
    /// Objects a template may name: the recipient (`customer`, `lead` or `contact`), the
    /// `campaign`, and `unsubscribe_url`.
    static let objects = ["customer", "lead", "contact", "campaign"]
    /// The variable that becomes the recipient's own 退订 link.
    static let unsubscribeVariable = "unsubscribe_url"

    /// `message_template` (消息模板).
    static var template: EntityDefinition {
        EntityDefinition("message_template", label: LocalizedText("消息模板", en: "Message template"), titleField: "name", fields: [
            FieldDefinition("name", .text, label: LocalizedText("模板名称", en: "Name"), required: true, unique: true, maxLength: 100),
            FieldDefinition.choice("channel", label: LocalizedText("渠道", en: "Channel"), ["email", "sms"], required: true),
            FieldDefinition("subject", .text, label: LocalizedText("邮件主题", en: "Subject"), maxLength: 500,
                            help: "可用变量，如 {{customer.name}}"),
            FieldDefinition("body", .longText, label: LocalizedText("内容", en: "Body"), required: true, maxLength: 20000,
                            help: "变量：{{customer.name}}、{{lead.name}}、{{contact.name}}、{{campaign.name}}、{{unsubscribe_url}}"),
            FieldDefinition("provider_template_id", .text, label: LocalizedText("短信模板编号", en: "Provider template id"), maxLength: 100),
            FieldDefinition.choice("provider_status", label: LocalizedText("短信模板审核", en: "Provider approval"), ["待审核", "已通过", "已驳回"]),
            FieldDefinition("active", .boolean, label: LocalizedText("启用", en: "Active"), defaultValue: .bool(true)),
        ])
    }

    /// `message_opt_out` (退订): an address that receives no marketing message on a channel.
    static var optOut: EntityDefinition {
        EntityDefinition("message_opt_out", label: LocalizedText("退订", en: "Opt-out"), titleField: "address", fields: [
            FieldDefinition.choice("channel", label: LocalizedText("渠道", en: "Channel"), ["email", "sms"], required: true),
            FieldDefinition("address", .text, label: LocalizedText("邮箱或手机", en: "Address"), required: true, maxLength: 254),
            FieldDefinition("key", .text, label: LocalizedText("去重键", en: "Key"), unique: true, maxLength: 300),
            FieldDefinition.choice("via", label: LocalizedText("方式", en: "Via"), ["退订链接", "回复退订", "手工"], required: true, defaultValue: "手工"),
            FieldDefinition("note", .text, label: LocalizedText("备注", en: "Note"), maxLength: 500),
        ])
    }

    /// `marketing_send`: one marketing message to one recipient, linking the kernel `message`
    /// (its delivery status) with the campaign, the template and the recipient's 退订 token.
    static var send: EntityDefinition {
        EntityDefinition("marketing_send", label: LocalizedText("营销发送记录", en: "Marketing send"), titleField: "address", fields: [
            FieldDefinition("campaign", .reference, label: LocalizedText("市场活动", en: "Campaign"), indexed: true, target: "campaign"),
            FieldDefinition("template", .reference, label: LocalizedText("模板", en: "Template"), required: true, indexed: true, target: "message_template"),
            FieldDefinition("entity", .text, label: LocalizedText("收件对象", en: "Entity"), required: true, maxLength: 64),
            FieldDefinition("record_id", .integer, label: LocalizedText("收件记录", en: "Record"), required: true),
            FieldDefinition.choice("channel", label: LocalizedText("渠道", en: "Channel"), ["email", "sms"], required: true),
            FieldDefinition("address", .text, label: LocalizedText("地址", en: "Address"), required: true, indexed: true, maxLength: 254),
            FieldDefinition("message", .integer, label: LocalizedText("消息", en: "Message"), indexed: true),
            FieldDefinition("token", .text, label: LocalizedText("退订令牌", en: "Unsubscribe token"), unique: true, maxLength: 64),
            FieldDefinition("sent_on", .date, label: LocalizedText("发送日期", en: "Day"), indexed: true),
        ])
    }

    /// The variables `{{…}}` in `text`, trimmed.
    static func variables(in text: String) -> [String] {
        var found: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            found.append(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return found
    }

    /// Checks every variable of a template's subject and body against the schema: a field error
    /// on the part that names an unknown one.
    static func check(subject: String?, body: String, schema: Schema) -> [FieldError] {
        var errors: [FieldError] = []
        for (part, text) in [("subject", subject ?? ""), ("body", body)] {
            for variable in variables(in: text) where variable != unsubscribeVariable {
                let pieces = variable.split(separator: ".", maxSplits: 1).map(String.init)
                guard pieces.count == 2, objects.contains(pieces[0]) else {
                    errors.append(FieldError(field: part, message: "未知变量 {{\(variable)}}（可用：customer.字段、lead.字段、contact.字段、campaign.字段、unsubscribe_url）"))
                    continue
                }
                let known = (schema.entities[pieces[0]]?.fieldsByName[pieces[1]] != nil) || pieces[1] == "id"
                if !known { errors.append(FieldError(field: part, message: "未知变量 {{\(variable)}}：\(pieces[0]) 没有字段 \(pieces[1])")) }
            }
        }
        return errors
    }

    /// `text` with each variable replaced from `objects` (a variable whose object is missing, or
    /// whose field is empty, becomes empty text).
    static func render(_ text: String, objects: [String: Record], unsubscribeURL: String?) -> String {
        var out = ""
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            out += rest[..<open.lowerBound]
            let variable = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if variable == unsubscribeVariable {
                out += unsubscribeURL ?? ""
            } else {
                let pieces = variable.split(separator: ".", maxSplits: 1).map(String.init)
                if pieces.count == 2, let record = objects[pieces[0]] {
                    out += pieces[1] == "id" ? String(record.id) : display(record[pieces[1]])
                }
            }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// A value as a person reads it in a message (money in yuan, lists joined).
    static func display(_ value: Value) -> String {
        switch value {
        case .null: return ""
        case .text(let s): return s
        case .integer(let i): return String(i)
        case .decimal(let d): return d.plainString
        case .bool(let b): return b ? "是" : "否"
        case .datetime(let d): return DateCoding.iso(d)
        case .list(let l): return l.joined(separator: "、")
        case .real(let r): return String(r)
        }
    }

    /// The before-save rule: a template's variables must exist, an e-mail template needs a subject.
    static func checkTemplate(_ ctx: inout SaveContext) {
        guard ctx.operation != .delete else { return }
        let subject = ctx.values["subject"]?.textValue
        for e in check(subject: subject, body: ctx.values["body"]?.textValue ?? "", schema: ctx.tx.schema) { ctx.reject(e.field, e.message) }
        if ctx.values["channel"] == .text("email"), (subject ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            ctx.reject("subject", "邮件模板需要主题")
        }
    }
}
