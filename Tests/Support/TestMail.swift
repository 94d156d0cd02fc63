import Foundation

/// Reads an e-mail as an SMTP test server received it (`msg-N.eml`): the kernel's messages
/// encode the subject as RFC 2047 `=?UTF-8?B?…?=` words and the body as base64.
public enum TestMail {
    /// The decoded subject and body, and the unfolded header block.
    public static func decode(_ eml: URL) throws -> (subject: String, body: String, headers: String) {
        let text = try String(contentsOf: eml, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
        let parts = text.components(separatedBy: "\n\n")
        let headers = (parts.first ?? "").replacingOccurrences(of: "\n ", with: " ")
        let subjectLine = headers.split(separator: "\n").first { $0.hasPrefix("Subject: ") }.map { String($0.dropFirst(9)) } ?? ""
        let subject = subjectLine.split(separator: " ").map { word -> String in
            guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?=") else { return String(word) }
            return String(decoding: Data(base64Encoded: String(word.dropFirst(10).dropLast(2))) ?? Data(), as: UTF8.self)
        }.joined()
        let body64 = parts.dropFirst().joined(separator: "\n").replacingOccurrences(of: "\n", with: "")
        return (subject, String(decoding: Data(base64Encoded: body64) ?? Data(), as: UTF8.self), headers)
    }

    /// The decoded subject.
    public static func subject(_ eml: URL) throws -> String { try decode(eml).subject }
}
