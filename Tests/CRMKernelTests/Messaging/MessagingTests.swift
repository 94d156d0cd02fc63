import Foundation
import Testing
@testable import CRMKernel
import CRMTestSupport

/// Outbound messages end to end against a real SMTP server (aiosmtpd) and a local HTTP gateway.
@Suite(.serialized)
struct MessagingTests {
    /// A store with the e-mail settings pointing at `server`.
    static func store(smtp server: PythonTestServer?, sms gateway: PythonTestServer? = nil, extra: [String: String] = [:]) throws -> TestStore {
        let t = try TestStore()
        if let server {
            try MessageSettings.set("messages.email.from", "销售部 <sales@example.com>", in: t.store)
            try MessageSettings.set("messages.email.host", "127.0.0.1", in: t.store)
            try MessageSettings.set("messages.email.port", "\(server.port)", in: t.store)
        }
        if let gateway {
            try MessageSettings.set("messages.sms.url", "http://127.0.0.1:\(gateway.port)/send", in: t.store)
            try MessageSettings.set("messages.sms.token", "gw-secret", in: t.store)
        }
        for (k, v) in extra.sorted(by: { $0.key < $1.key }) { try MessageSettings.set(k, v, in: t.store) }
        return t
    }

    static func message(_ t: TestStore, _ id: Int64) throws -> Record {
        try #require(try t.store.get("message", id))
    }

    @Test func emailQueuedInTheTransactionIsDeliveredOnceWithChineseIntact() async throws {
        let server = try PythonTestServer.smtp()
        let t = try Self.store(smtp: server)
        let subject = "您的报价单已生成——请查收（编号 HT-20261202-0001，共计 ¥12,345.00）"
        let body = "张伟您好：\n\n附件是本次报价。\n.以点开头的一行\n祝好"
        let queued = try t.store.write(as: .system) { tx in
            try tx.sendMessage(.email(to: "zhangwei@example.com", subject: subject, body: body, entity: "user", recordID: 1))
        }
        let id = try #require(queued?.id)
        #expect(try Self.message(t, id)["status"] == .text("待发送"))
        let report = try await MessageDelivery(store: t.store).deliverDue()
        #expect(report.sent == 1)
        #expect(server.received("eml").count == 1)
        let mail = try TestMail.decode(try #require(server.received("eml").first))
        #expect(mail.subject == subject)
        #expect(mail.body == body.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(mail.headers.contains("Content-Type: text/plain; charset=UTF-8"))
        let envelope = try #require(server.envelopes().first)
        #expect(envelope["from"] as? String == "sales@example.com")
        #expect(envelope["to"] as? [String] == ["zhangwei@example.com"])
        let stored = try Self.message(t, id)
        #expect(stored["status"] == .text("已发送"))
        #expect(stored["attempts"] == .integer(1))
        #expect(stored["sent_at"] != .null)
        // A second pass finds nothing to send.
        let again = try await MessageDelivery(store: t.store).deliverDue()
        #expect(again.sent == 0)
        #expect(server.received("eml").count == 1)
    }

    @Test func messageOfARolledBackTransactionIsNeverSent() async throws {
        let server = try PythonTestServer.smtp()
        let t = try Self.store(smtp: server)
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try t.store.write(as: .system) { tx in
                try tx.sendMessage(.email(to: "a@example.com", subject: "不应发出", body: "x"))
                throw Abort()
            }
        }
        #expect(try t.store.count("message") == 0)
        #expect(try await MessageDelivery(store: t.store).deliverDue().sent == 0)
        #expect(server.received("eml").isEmpty)
    }

    @Test func permanentRefusalFailsAtOnceAndTemporaryOneIsRetriedUntilAttemptsRunOut() async throws {
        let server = try PythonTestServer.smtp()
        let t = try Self.store(smtp: server, extra: ["messages.retry_seconds": "0", "messages.max_attempts": "2"])
        let (rejected, busy) = try t.store.write(as: .system) { tx in
            (try tx.sendMessage(.email(to: "reject@example.com", subject: "s", body: "b"))!.id,
             try tx.sendMessage(.email(to: "busy@example.com", subject: "s", body: "b"))!.id)
        }
        let first = try await MessageDelivery(store: t.store).deliverDue()
        #expect(first.failed == 1 && first.retrying == 1)
        let r = try Self.message(t, rejected)
        #expect(r["status"] == .text("失败"))
        #expect(r["last_error"].description.contains("550"))
        #expect(try Self.message(t, busy)["status"] == .text("待发送"))
        #expect(try Self.message(t, busy)["attempts"] == .integer(1))
        let second = try await MessageDelivery(store: t.store).deliverDue()
        #expect(second.failed == 1)
        let b = try Self.message(t, busy)
        #expect(b["status"] == .text("失败"))
        #expect(b["attempts"] == .integer(2))
        #expect(b["last_error"].description.contains("451"))
        #expect(server.received("eml").isEmpty)
        // An administrator can queue a failed message again.
        try t.store.write(as: .system) { tx in _ = try Messages.retry(busy, in: tx) }
        #expect(try Self.message(t, busy)["status"] == .text("待发送"))
    }

    @Test func retryWaitsForItsBackoff() async throws {
        let server = try PythonTestServer.smtp()
        let t = try Self.store(smtp: server, extra: ["messages.retry_seconds": "60"])
        let id = try t.store.write(as: .system) { tx in try tx.sendMessage(.email(to: "busy@example.com", subject: "s", body: "b"))!.id }
        let now = Date()
        _ = try await MessageDelivery(store: t.store).deliverDue(now: now)
        #expect(try await MessageDelivery(store: t.store).deliverDue(now: now.addingTimeInterval(30)).retrying == 0)
        #expect(try Self.message(t, id)["attempts"] == .integer(1))
        #expect(try await MessageDelivery(store: t.store).deliverDue(now: now.addingTimeInterval(61)).retrying == 1)
        #expect(try Self.message(t, id)["attempts"] == .integer(2))
    }

    @Test func loginWithAuthPlain() async throws {
        let server = try PythonTestServer.smtp(auth: "crm:s3cret")
        let t = try Self.store(smtp: server, extra: ["messages.email.username": "crm", "messages.email.password": "s3cret"])
        try t.store.write(as: .system) { tx in _ = try tx.sendMessage(.email(to: "x@example.com", subject: "登录", body: "b")) }
        #expect(try await MessageDelivery(store: t.store).deliverDue().sent == 1)
        #expect(server.envelopes().first?["login"] as? String == "crm/PLAIN")
    }

    @Test func serverThatIsDownLeavesTheMessageWaitingForARetry() async throws {
        let t = try Self.store(smtp: nil, extra: ["messages.email.from": "crm@example.com", "messages.email.host": "127.0.0.1",
                                                  "messages.email.port": "1", "messages.email.timeout": "5"])
        let id = try t.store.write(as: .system) { tx in try tx.sendMessage(.email(to: "x@example.com", subject: "s", body: "b"))!.id }
        let report = try await MessageDelivery(store: t.store).deliverDue()
        #expect(report.retrying == 1 && report.failed == 0)
        let m = try Self.message(t, id)
        #expect(m["status"] == .text("待发送"))
        #expect(m["attempts"] == .integer(1))
        #expect(m["last_error"].description.contains("无法连接"))
        #expect(m["next_attempt_at"] != .null)
    }

    @Test func interruptedSendIsMarkedFailedNotSentAgain() async throws {
        let server = try PythonTestServer.smtp()
        let t = try Self.store(smtp: server)
        let id = try t.store.write(as: .system) { tx in try tx.sendMessage(.email(to: "x@example.com", subject: "s", body: "b"))!.id }
        // A sender claimed it and died before recording the outcome.
        _ = try t.store.update("message", id, ["status": .text("发送中"), "claimed_until": .datetime(Date().addingTimeInterval(-5))])
        let report = try await MessageDelivery(store: t.store).deliverDue()
        #expect(report.interrupted == 1 && report.sent == 0)
        #expect(try Self.message(t, id)["status"] == .text("失败"))
        #expect(server.received("eml").isEmpty)
    }

    @Test func unconfiguredChannelLeavesMessagesWaiting() async throws {
        let t = try Self.store(smtp: nil)
        let id = try t.store.write(as: .system) { tx in try tx.sendMessage(.sms(to: "138 0013 8000", body: "验证码 1234"))!.id }
        let report = try await MessageDelivery(store: t.store).deliverDue()
        #expect(report.unconfigured[.sms] == 1)
        let m = try Self.message(t, id)
        #expect(m["status"] == .text("待发送"))
        #expect(m["to"] == .text("13800138000"))
    }

    @Test func smsGoesThroughTheGatewayWithItsTokenAndRetriesA503() async throws {
        let gateway = try PythonTestServer.smsGateway()
        let t = try Self.store(smtp: nil, sms: gateway, extra: ["messages.retry_seconds": "0"])
        let (ok, flaky, bad) = try t.store.write(as: .system) { tx in
            (try tx.sendMessage(.sms(to: "+8613800138000", body: "您的工单已受理"))!.id,
             try tx.sendMessage(.sms(to: "13900139000", body: "fail-once 稍后重试"))!.id,
             try tx.sendMessage(.sms(to: "13700137000", body: "fail-permanent"))!.id)
        }
        let first = try await MessageDelivery(store: t.store).deliverDue()
        #expect(first.sent == 1 && first.retrying == 1 && first.failed == 1)
        #expect(try Self.message(t, bad)["status"] == .text("失败"))
        let second = try await MessageDelivery(store: t.store).deliverDue()
        #expect(second.sent == 1)
        let received = gateway.envelopes()
        #expect(received.count == 2)
        #expect(received.first?["auth"] as? String == "Bearer gw-secret")
        let payload = try #require(received.first?["body"] as? [String: Any])
        #expect(payload["to"] as? String == "+8613800138000")
        #expect(payload["body"] as? String == "您的工单已受理")
        #expect(try Self.message(t, ok)["provider_id"] == .text("gw-1"))
        #expect(try Self.message(t, flaky)["status"] == .text("已发送"))
    }

    @Test func badMessagesAreRefusedNamingTheFieldAndNothingIsWritten() throws {
        let t = try Self.store(smtp: nil)
        let cases: [(OutgoingMessage, String)] = [
            (.email(to: "not-an-address", subject: "s", body: "b"), "to"),
            (.email(to: "a@example.com\r\nBcc: all@example.com", subject: "s", body: "b"), "to"),
            (.email(to: "a@example.com", subject: "two\nlines", body: "b"), "subject"),
            (.email(to: "a@example.com", subject: "", body: "b"), "subject"),
            (.email(to: "a@example.com", subject: "s", body: "  "), "body"),
            (.sms(to: "12ab", body: "b"), "to"),
            (OutgoingMessage(channel: .sms, to: "13800138000", body: "b", entity: "customer"), "record"),
        ]
        for (message, field) in cases {
            let error = kernelError { try t.store.write(as: .system) { tx in _ = try tx.sendMessage(message) } }
            #expect(error?.kind == .validation)
            #expect(error?.fieldErrors.map(\.field).contains(field) == true, "\(message.to): \(String(describing: error))")
        }
        #expect(try t.store.count("message") == 0)
    }

    @Test func sameKeyQueuesOnce() throws {
        let t = try Self.store(smtp: nil)
        let (first, second) = try t.store.write(as: .system) { tx in
            (try tx.sendMessage(.sms(to: "13800138000", body: "b", key: "k1")), try tx.sendMessage(.sms(to: "13800138000", body: "b", key: "k1")))
        }
        #expect(first != nil && second == nil)
        #expect(try t.store.count("message") == 1)
    }

    @Test func badSettingsAreRefusedNamingTheKey() throws {
        let t = try Self.store(smtp: nil)
        #expect(kernelError { try MessageSettings.set("messages.email.port", "abc", in: t.store) }?.message.contains("messages.email.port") == true)
        #expect(kernelError { try MessageSettings.set("messages.email.tls", "maybe", in: t.store) }?.message.contains("messages.email.tls") == true)
        #expect(kernelError { try MessageSettings.set("messages.email.host", "smtp.example.com", in: t.store) }?.message.contains("messages.email.from") == true)
        #expect(kernelError { try MessageSettings.set("messages.sms.url", "ftp://x", in: t.store) }?.message.contains("messages.sms.url") == true)
        #expect(kernelError { try MessageSettings.set("messages.nope", "1", in: t.store) }?.message.contains("unknown") == true)
        #expect(try t.store.setting("messages.email.port") == nil)
    }

    @Test func encodedWordsSplitBetweenCharactersAndStayShort() {
        let words = MIMEMessage.encodedWord(String(repeating: "中文主题", count: 20)).components(separatedBy: "\r\n ")
        #expect(words.count > 1)
        #expect(words.allSatisfy { $0.count <= 75 })
        let decoded = words.map { String(decoding: Data(base64Encoded: String($0.dropFirst(10).dropLast(2)))!, as: UTF8.self) }.joined()
        #expect(decoded == String(repeating: "中文主题", count: 20))
        #expect(MIMEMessage.encodedWord("Plain ASCII") == "Plain ASCII")
    }
}
