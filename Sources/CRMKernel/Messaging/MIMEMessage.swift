import Foundation

/// An address with an optional display name, as in `销售部 <sales@example.com>`.
public struct EmailAddress: Sendable, Hashable {
    /// The display name, or nil.
    public var name: String?
    /// `local@domain`.
    public var address: String

    /// Parses `addr` or `Name <addr>`; nil when the address part is not one.
    public static func parse(_ text: String) -> EmailAddress? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasSuffix(">"), let open = t.lastIndex(of: "<") {
            let address = String(t[t.index(after: open)..<t.index(before: t.endIndex)])
            var name = t[..<open].trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 { name = String(name.dropFirst().dropLast()) }
            guard MessageValidation.isEmailAddress(address), !name.contains(where: \.isNewline) else { return nil }
            return EmailAddress(name: name.isEmpty ? nil : name, address: address)
        }
        return MessageValidation.isEmailAddress(t) ? EmailAddress(name: nil, address: t) : nil
    }

    /// The header form: the name as an RFC 2047 word when it is not plain ASCII.
    var header: String {
        guard let name else { return address }
        return "\(MIMEMessage.encodedWord(name)) <\(address)>"
    }
}

/// A plain-text e-mail in MIME form: UTF-8 throughout, the subject and display names as
/// RFC 2047 encoded words, the body in base64, so Chinese text arrives intact.
public struct MIMEMessage: Sendable {
    /// The sender.
    public var from: EmailAddress
    /// The recipient.
    public var to: String
    /// The subject.
    public var subject: String
    /// The text.
    public var body: String
    /// The `Message-ID` without angle brackets.
    public var messageID: String
    /// The `Date` header's time.
    public var date: Date
    /// Extra headers (ASCII names and values), e.g. `List-Unsubscribe`.
    public var extraHeaders: [(String, String)]

    /// Creates a message.
    public init(from: EmailAddress, to: String, subject: String, body: String, messageID: String, date: Date,
                extraHeaders: [(String, String)] = []) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.messageID = messageID
        self.date = date
        self.extraHeaders = extraHeaders
    }

    /// The message as sent in SMTP DATA, lines ending in CRLF (before dot-stuffing).
    public var rendered: String {
        var lines = [
            "From: \(from.header)",
            "To: \(to)",
            "Subject: \(Self.encodedWord(subject))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
        ]
        for (name, value) in extraHeaders where !name.contains(where: \.isNewline) && !value.contains(where: \.isNewline) {
            lines.append("\(name): \(value)")
        }
        lines.append("")
        let normalized = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        let encoded = Data(normalized.utf8).base64EncodedString()
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// `text` unchanged when it is printable ASCII, else RFC 2047 `=?UTF-8?B?…?=` words of at
    /// most 75 characters each (split between characters, never inside one), separated by a
    /// folding space.
    public static func encodedWord(_ text: String) -> String {
        if text.allSatisfy({ $0.isASCII && !$0.isNewline }), !text.contains("=?") { return text }
        var words: [String] = []
        var chunk = Data()
        // 45 bytes of UTF-8 → 60 base64 characters + 12 of framing = 72.
        for character in text {
            let bytes = Data(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=")
                chunk = Data()
            }
            chunk.append(bytes)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    /// `Wed, 02 Dec 2026 08:00:00 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return f.string(from: date)
    }
}
