import Foundation

/// How the workspace sends messages, read from workspace settings (`_setting`) on every delivery
/// pass, so a change takes effect without a restart. Set them with `crm messages settings set
/// KEY VALUE` (or `MessageSettings.set`); `MessageSettings.keys` documents each one.
public struct MessageSettings: Sendable, Hashable {
    /// How to use TLS with the SMTP server.
    public enum TLSMode: String, Sendable, Hashable, CaseIterable {
        /// STARTTLS when the server offers it, plain otherwise.
        case auto
        /// Never STARTTLS.
        case off
        /// STARTTLS or fail.
        case required
    }

    /// The SMTP server, or nil when e-mail is not configured.
    public struct Email: Sendable, Hashable {
        /// Host name or address.
        public var host: String
        /// Port (default 25).
        public var port: Int
        /// The sender address, optionally with a display name: `销售部 <sales@example.com>`.
        public var from: String
        /// Login for AUTH PLAIN/LOGIN, or nil for none.
        public var username: String?
        /// Password for AUTH.
        public var password: String?
        /// STARTTLS use.
        public var tls: TLSMode
        /// A PEM file of certificates to trust instead of the system's (a private server), or nil.
        public var caFile: String?
        /// Seconds allowed for one whole SMTP conversation.
        public var timeout: Int
    }

    /// The SMS gateway, or nil when SMS is not configured.
    public struct SMS: Sendable, Hashable {
        /// The gateway URL that receives `POST {"to","body","message_id"}`.
        public var url: URL
        /// Sent as `Authorization: Bearer <token>` when given.
        public var token: String?
        /// Seconds allowed for one request.
        public var timeout: Int
    }

    /// E-mail settings, nil when `messages.email.host` is not set.
    public var email: Email?
    /// SMS settings, nil when `messages.sms.url` is not set.
    public var sms: SMS?
    /// Attempts before a message is given up (default 5).
    public var maxAttempts: Int
    /// Wait before the first retry in seconds, doubled each time up to an hour (default 60).
    public var retrySeconds: Int

    /// Every setting with its meaning and default (for `crm messages settings` and the docs).
    public static let keys: [(key: String, help: String, secret: Bool)] = [
        ("messages.email.host", "SMTP 服务器地址；不设置则不发邮件", false),
        ("messages.email.port", "SMTP 端口，默认 25", false),
        ("messages.email.from", "发件人，如 销售部 <sales@example.com>（必填）", false),
        ("messages.email.username", "SMTP 登录名（AUTH PLAIN/LOGIN）；不设置则不认证", false),
        ("messages.email.password", "SMTP 密码", true),
        ("messages.email.tls", "auto（服务器支持则 STARTTLS，默认）、off、required", false),
        ("messages.email.ca_file", "信任的证书 PEM 文件（私有服务器），默认系统证书", false),
        ("messages.email.timeout", "一次 SMTP 会话的超时秒数，默认 30", false),
        ("messages.sms.url", "短信网关地址（HTTP POST JSON）；不设置则不发短信", false),
        ("messages.sms.token", "短信网关令牌（Authorization: Bearer）", true),
        ("messages.sms.timeout", "短信网关请求超时秒数，默认 15", false),
        ("messages.max_attempts", "最多尝试次数，默认 5", false),
        ("messages.retry_seconds", "首次重试等待秒数，之后每次加倍，最长 1 小时，默认 60", false),
    ]

    /// Reads the settings through `value` (a settings lookup); a malformed value is a validation
    /// error naming the key.
    public static func load(_ value: (String) throws -> String?) throws -> MessageSettings {
        func int(_ key: String, _ fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
            guard let text = try value(key), !text.isEmpty else { return fallback }
            guard let n = Int(text), range.contains(n) else {
                throw KernelError(.validation, "setting \(key): expected a whole number in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
            }
            return n
        }
        func text(_ key: String) throws -> String? {
            guard let t = try value(key)?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return nil }
            return t
        }
        var settings = MessageSettings(email: nil, sms: nil, maxAttempts: try int("messages.max_attempts", 5, 1...100),
                                       retrySeconds: try int("messages.retry_seconds", 60, 0...86_400))
        // Every value is checked, whether or not its channel is on yet.
        let port = try int("messages.email.port", 25, 1...65_535), timeout = try int("messages.email.timeout", 30, 1...600)
        let smsTimeout = try int("messages.sms.timeout", 15, 1...600)
        let tlsText = try text("messages.email.tls") ?? "auto"
        guard let tls = TLSMode(rawValue: tlsText) else {
            throw KernelError(.validation, "setting messages.email.tls: expected auto, off or required, got '\(tlsText)'")
        }
        let from = try text("messages.email.from")
        if let from, EmailAddress.parse(from) == nil {
            throw KernelError(.validation, "setting messages.email.from: not an address: '\(from)'")
        }
        if let host = try text("messages.email.host") {
            guard let from else {
                throw KernelError(.validation, "setting messages.email.from: required when messages.email.host is set")
            }
            settings.email = Email(host: host, port: port, from: from, username: try text("messages.email.username"),
                                   password: try value("messages.email.password"), tls: tls, caFile: try text("messages.email.ca_file"),
                                   timeout: timeout)
        }
        if let urlText = try text("messages.sms.url") {
            guard let url = URL(string: urlText), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                throw KernelError(.validation, "setting messages.sms.url: not an http(s) URL: '\(urlText)'")
            }
            settings.sms = SMS(url: url, token: try text("messages.sms.token"), timeout: smsTimeout)
        }
        return settings
    }

    /// The workspace's settings now.
    public static func load(from store: RecordStore) throws -> MessageSettings {
        try load { try store.setting($0) }
    }

    /// Stores one setting after checking that the key is known and that the settings still load
    /// with the new value (an empty value clears it).
    public static func set(_ key: String, _ newValue: String, in store: RecordStore) throws {
        guard keys.contains(where: { $0.key == key }) else {
            throw KernelError(.validation, "unknown message setting '\(key)' (known: \(keys.map(\.key).joined(separator: ", ")))")
        }
        let changed = newValue.trimmingCharacters(in: .whitespacesAndNewlines)
        // The settings as they would be must still load (a port that is a number, a known TLS mode).
        _ = try load { k in k == key ? changed : try store.setting(k) }
        try store.setSetting(key, changed)
    }

    /// The wait before retry number `attempt` (1-based): `retrySeconds` doubled per attempt, at most an hour.
    public func backoff(afterAttempt attempt: Int) -> TimeInterval {
        min(3600, Double(retrySeconds) * pow(2, Double(max(0, attempt - 1))))
    }
}
