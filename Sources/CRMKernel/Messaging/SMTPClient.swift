import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Sends e-mail to one SMTP server (RFC 5321): EHLO, STARTTLS when offered (or required),
/// AUTH PLAIN or LOGIN when a login is set, then MAIL FROM, RCPT TO and DATA, one message per
/// connection. Replies 5xx are permanent failures; 4xx, connection errors and timeouts are transient.
public struct SMTPClient: MessageTransport {
    /// The server and sender.
    public let settings: MessageSettings.Email

    /// A client for `settings`.
    public init(settings: MessageSettings.Email) {
        self.settings = settings
    }

    /// Sends `message` as a UTF-8 MIME e-mail; returns its Message-ID.
    public func deliver(_ message: QueuedMessage) async throws -> String? {
        guard let from = EmailAddress.parse(settings.from) else {
            throw MessageDeliveryError("发件人地址无效：\(settings.from)", permanent: false)
        }
        let domain = from.address.split(separator: "@").last.map(String.init) ?? "localhost"
        let messageID = "crm-\(message.id).\(UUID().uuidString.lowercased())@\(domain)"
        let mime = MIMEMessage(from: from, to: message.to, subject: message.subject, body: message.body,
                               messageID: messageID, date: Date(), extraHeaders: [("X-CRM-Message", "\(message.id)")])
        try await send(from: from.address, to: message.to, data: mime.rendered, heloName: domain)
        return messageID
    }

    /// Runs one SMTP conversation delivering `data` (a rendered message) within the timeout.
    public func send(from: String, to: String, data: String, heloName: String) async throws {
        let timeout = settings.timeout
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.converse(from: from, to: to, data: data, heloName: heloName) }
            group.addTask {
                try await Task.sleep(for: .seconds(timeout))
                throw MessageDeliveryError("SMTP 会话超时（\(timeout) 秒）", permanent: false)
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private func converse(from: String, to: String, data: String, heloName: String) async throws {
        let channel: NIOAsyncChannel<String, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(Int64(settings.timeout)))
                .connect(host: settings.host, port: settings.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPLineDecoder()))
                        return try NIOAsyncChannel<String, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw MessageDeliveryError("无法连接 SMTP 服务器 \(settings.host):\(settings.port)：\(error)", permanent: false)
        }
        try await channel.executeThenClose { inbound, outbound in
            var session = SMTPSession(lines: inbound.makeAsyncIterator(), outbound: outbound)
            try await session.expect(220, stage: "greeting")
            var capabilities = try await session.hello(heloName)
            if settings.tls != .off, capabilities.contains("STARTTLS") {
                try await session.command("STARTTLS", expect: 220)
                try await startTLS(on: channel.channel)
                capabilities = try await session.hello(heloName)
            } else if settings.tls == .required {
                throw MessageDeliveryError("SMTP 服务器不支持 STARTTLS（设置要求 TLS）", permanent: false)
            }
            if let username = settings.username {
                try await session.authenticate(username: username, password: settings.password ?? "", capabilities: capabilities)
            }
            try await session.command("MAIL FROM:<\(from)>", expect: 250)
            try await session.command("RCPT TO:<\(to)>", expect: 250, 251)
            try await session.command("DATA", expect: 354)
            try await session.write(SMTPSession.dotStuffed(data) + ".\r\n")
            try await session.expect(250, stage: "DATA")
            _ = try? await session.command("QUIT", expect: 221)
        }
    }

    /// Puts TLS in front of the line decoder, verifying the server's name against the system's
    /// trust roots (or `ca_file`).
    private func startTLS(on channel: any Channel) async throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile = settings.caFile { configuration.trustRoots = .file(caFile) }
        let context: NIOSSLContext
        do { context = try NIOSSLContext(configuration: configuration) } catch {
            throw MessageDeliveryError("TLS 设置无效：\(error)", permanent: false)
        }
        let host = settings.host
        let hostname: String? = host.first?.isNumber == true || host.contains(":") ? nil : host
        try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: hostname), position: .first)
        }.get()
    }
}

/// The reply-reading and command-writing half of an SMTP conversation.
struct SMTPSession {
    var lines: NIOAsyncChannelInboundStream<String>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    /// Reads one (possibly multi-line) reply.
    mutating func reply() async throws -> SMTPReply {
        var texts: [String] = []
        while true {
            guard let line = try await lines.next() else {
                throw MessageDeliveryError("SMTP 服务器断开了连接", permanent: false)
            }
            guard line.count >= 3, let code = Int(line.prefix(3)) else {
                throw MessageDeliveryError("SMTP 服务器回复无法识别：\(line.prefix(200))", permanent: false)
            }
            texts.append(String(line.dropFirst(4)))
            if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] != "-" { return SMTPReply(code: code, lines: texts) }
        }
    }

    /// Reads a reply and fails unless its code is one of `codes`.
    @discardableResult
    mutating func expect(_ codes: Int..., stage: String = "") async throws -> SMTPReply {
        let r = try await reply()
        guard codes.contains(r.code) else {
            throw MessageDeliveryError("SMTP \(stage.isEmpty ? "" : stage + " ")被拒绝：\(r.text.prefix(300))", permanent: r.code >= 500)
        }
        return r
    }

    /// Sends `line` and expects one of `codes`.
    @discardableResult
    mutating func command(_ line: String, expect codes: Int..., stage: String? = nil) async throws -> SMTPReply {
        try await write(line + "\r\n")
        let r = try await reply()
        guard codes.contains(r.code) else {
            let what = stage ?? String(line.prefix(while: { $0 != " " && $0 != ":" }))
            throw MessageDeliveryError("SMTP \(what) 被拒绝：\(r.text.prefix(300))", permanent: r.code >= 500)
        }
        return r
    }

    mutating func write(_ text: String) async throws {
        try await outbound.write(ByteBuffer(string: text))
    }

    /// EHLO; returns the capability keywords in upper case (`STARTTLS`, `AUTH PLAIN LOGIN`).
    mutating func hello(_ name: String) async throws -> [String] {
        let r = try await command("EHLO \(name)", expect: 250)
        return r.lines.dropFirst().map { $0.uppercased() }
    }

    /// AUTH PLAIN when offered, else AUTH LOGIN; a refusal is permanent (wrong login).
    mutating func authenticate(username: String, password: String, capabilities: [String]) async throws {
        let mechanisms = capabilities.first { $0.hasPrefix("AUTH ") || $0.hasPrefix("AUTH=") }?
            .dropFirst(5).split(separator: " ").map(String.init) ?? []
        if mechanisms.contains("PLAIN") {
            let token = Data(("\0" + username + "\0" + password).utf8).base64EncodedString()
            try await command("AUTH PLAIN \(token)", expect: 235, stage: "AUTH")
        } else if mechanisms.contains("LOGIN") {
            try await command("AUTH LOGIN", expect: 334, stage: "AUTH")
            try await command(Data(username.utf8).base64EncodedString(), expect: 334, stage: "AUTH")
            try await command(Data(password.utf8).base64EncodedString(), expect: 235, stage: "AUTH")
        } else {
            throw MessageDeliveryError("SMTP 服务器不支持 AUTH PLAIN 或 LOGIN（提供：\(mechanisms.joined(separator: " "))）", permanent: false)
        }
    }

    /// `data` with every line starting with a dot given a second one (RFC 5321 4.5.2), ending in CRLF.
    static func dotStuffed(_ data: String) -> String {
        var text = data.hasSuffix("\r\n") ? data : data + "\r\n"
        if text.hasPrefix(".") { text = "." + text }
        return text.replacingOccurrences(of: "\r\n.", with: "\r\n..")
    }
}
