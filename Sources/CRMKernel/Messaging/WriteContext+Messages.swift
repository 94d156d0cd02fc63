import Foundation

extension WriteContext {
    /// Queues `message` in this transaction: it is written as a `message` record (status 待发送)
    /// and goes out only if the transaction commits, delivered afterwards by `MessageDelivery`
    /// (`crm serve`'s sender, or `crm messages send-pending`). Returns the record, or nil when
    /// the message's `key` was used before (nothing is queued twice).
    ///
    /// Bad input (an address that is not one, a subject with a line break, an empty body) is a
    /// validation error naming the field. The record is written as the system: the module or
    /// script calling this decides who may cause messages.
    @discardableResult
    public func sendMessage(_ message: OutgoingMessage) throws -> Record? {
        let checked = try MessageValidation.checked(message)
        return try asSystem {
            if let key = checked.key, try !reader.ids("message", where: "key", equals: .text(key), limit: 1).isEmpty { return nil }
            var values: [String: Value] = [
                "channel": .text(checked.channel.rawValue), "to": .text(checked.to), "body": .text(checked.body),
                "status": .text(MessageStatus.pending.rawValue), "attempts": .integer(0),
                "next_attempt_at": .datetime(max(now, checked.sendAfter ?? now)),
            ]
            if let subject = checked.subject { values["subject"] = .text(subject) }
            if let entity = checked.entity { values["entity"] = .text(entity) }
            if let id = checked.recordID { values["record_id"] = .integer(id) }
            if let key = checked.key { values["key"] = .text(key) }
            if let source = checked.source { values["source"] = .text(source) }
            return try create("message", values)
        }
    }
}

/// The checks a message passes before it is queued.
public enum MessageValidation {
    /// The message with its recipient normalized (trimmed; spaces and dashes out of a mobile
    /// number), or a validation error on `message` naming the field at fault.
    public static func checked(_ message: OutgoingMessage) throws -> OutgoingMessage {
        var m = message
        var errors: [FieldError] = []
        m.to = m.to.trimmingCharacters(in: .whitespacesAndNewlines)
        switch m.channel {
        case .email:
            if !isEmailAddress(m.to) { errors.append(FieldError(field: "to", message: "不是有效的邮箱地址：\(m.to.prefix(100))")) }
            let subject = m.subject ?? ""
            if subject.trimmingCharacters(in: .whitespaces).isEmpty { errors.append(FieldError(field: "subject", message: "邮件需要主题")) }
            if subject.contains(where: \.isNewline) { errors.append(FieldError(field: "subject", message: "主题不能换行")) }
            if subject.count > MessageEntity.maxSubject { errors.append(FieldError(field: "subject", message: "主题过长（最多 \(MessageEntity.maxSubject) 字）")) }
        case .sms:
            m.to = m.to.filter { $0 != " " && $0 != "-" }
            if !isMobileNumber(m.to) { errors.append(FieldError(field: "to", message: "不是有效的手机号：\(m.to.prefix(40))")) }
        }
        if m.body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { errors.append(FieldError(field: "body", message: "内容不能为空")) }
        if m.body.count > MessageEntity.maxBody { errors.append(FieldError(field: "body", message: "内容过长（最多 \(MessageEntity.maxBody) 字）")) }
        if (m.entity == nil) != (m.recordID == nil) { errors.append(FieldError(field: "record", message: "相关记录需要同时给出 entity 和 id")) }
        if !errors.isEmpty { throw KernelError.invalid("message", errors) }
        return m
    }

    /// A plain `local@domain.tld` address (no display name, no spaces, no line breaks).
    public static func isEmailAddress(_ text: String) -> Bool {
        guard text.count <= 254, !text.contains(where: { $0.isWhitespace || "<>\"(),;:\\[]".contains($0) }) else { return false }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64 else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") }
    }

    /// A mobile number: an optional `+` and 5 to 20 digits.
    public static func isMobileNumber(_ text: String) -> Bool {
        let digits = text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        return (5...20).contains(digits.count) && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
