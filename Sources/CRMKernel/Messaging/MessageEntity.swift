import Foundation

/// The kernel's `message` entity: the outbox of e-mails and text messages. A record is written in
/// the caller's transaction (`WriteContext.sendMessage`) and delivered after commit by
/// `MessageDelivery`, which keeps its status, attempts and last error on the record.
public enum MessageEntity {
    /// Longest subject accepted.
    public static let maxSubject = 500
    /// Longest body accepted (characters).
    public static let maxBody = 100_000

    /// The entity declaration.
    static var entity: EntityDefinition {
        let channels = [ChoiceOption("email", label: LocalizedText("邮件", en: "E-mail")),
                        ChoiceOption("sms", label: LocalizedText("短信", en: "SMS"))]
        let statuses = [ChoiceOption(MessageStatus.pending.rawValue, label: LocalizedText("待发送", en: "Pending")),
                        ChoiceOption(MessageStatus.sending.rawValue, label: LocalizedText("发送中", en: "Sending")),
                        ChoiceOption(MessageStatus.sent.rawValue, label: LocalizedText("已发送", en: "Sent")),
                        ChoiceOption(MessageStatus.failed.rawValue, label: LocalizedText("失败", en: "Failed"))]
        return EntityDefinition("message", label: LocalizedText("消息", en: "Message"), titleField: "subject", fields: [
            FieldDefinition("channel", .choice, label: LocalizedText("渠道", en: "Channel"), required: true, indexed: true, options: channels),
            FieldDefinition("to", .text, label: LocalizedText("收件人", en: "To"), required: true, indexed: true, maxLength: 254),
            FieldDefinition("subject", .text, label: LocalizedText("主题", en: "Subject"), maxLength: maxSubject),
            FieldDefinition("body", .longText, label: LocalizedText("内容", en: "Body"), required: true, maxLength: maxBody),
            FieldDefinition("entity", .text, label: LocalizedText("相关对象", en: "Entity"), maxLength: 64),
            FieldDefinition("record_id", .integer, label: LocalizedText("相关记录", en: "Record")),
            FieldDefinition("source", .text, label: LocalizedText("来源", en: "Source"), indexed: true, maxLength: 100),
            FieldDefinition("status", .choice, label: LocalizedText("状态", en: "Status"), required: true,
                            defaultValue: .text(MessageStatus.pending.rawValue), indexed: true, options: statuses),
            FieldDefinition("attempts", .integer, label: LocalizedText("尝试次数", en: "Attempts"), defaultValue: .integer(0)),
            FieldDefinition("last_error", .text, label: LocalizedText("最近错误", en: "Last error"), maxLength: 1000),
            FieldDefinition("next_attempt_at", .datetime, label: LocalizedText("下次尝试", en: "Next attempt"), indexed: true),
            FieldDefinition("claimed_until", .datetime, label: LocalizedText("占用至", en: "Claimed until")),
            FieldDefinition("sent_at", .datetime, label: LocalizedText("发送时间", en: "Sent at")),
            FieldDefinition("provider_id", .text, label: LocalizedText("服务方编号", en: "Provider id"), maxLength: 200),
            FieldDefinition("key", .text, label: LocalizedText("去重键", en: "Dedupe key"), unique: true, maxLength: 200),
        ], indexes: [["status", "next_attempt_at"]])
    }
}
