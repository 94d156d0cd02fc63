import CRMKernel
import Foundation

/// The public 退订 routes: the link in every marketing message, and replies forwarded by the
/// SMS gateway or a mail system.
enum OptOutRoutes {
    static var all: [PluginRoute] { [unsubscribeLink, unsubscribePost, reply] }

    /// Reply texts that mean "no more messages".
    static let stopWords: Set<String> = ["TD", "T", "N", "R", "退订", "取消订阅", "STOP", "UNSUBSCRIBE"]

    /// `GET /public/marketing/unsubscribe/:token`: the link's address opts out of its channel.
    static var unsubscribeLink: PluginRoute {
        PluginRoute(.get, "unsubscribe/:token", summary: "退订: the link in a marketing message",
                    audience: .anyone(limit: RateLimit(requests: 30, perSeconds: 60))) { request in
            try unsubscribe(request)
        }
    }

    /// `POST /public/marketing/unsubscribe/:token`: the same, for mail clients' one-click 退订.
    static var unsubscribePost: PluginRoute {
        PluginRoute(.post, "unsubscribe/:token", summary: "退订 (one-click POST)",
                    audience: .anyone(limit: RateLimit(requests: 30, perSeconds: 60))) { request in
            try unsubscribe(request)
        }
    }

    static func unsubscribe(_ request: RouteRequest) throws -> RouteResponse {
        let token = request.parameters["token"] ?? ""
        guard token.count == 32, token.allSatisfy(\.isHexDigit) else { throw KernelError(.notFound, "unknown unsubscribe link") }
        let done = try request.store.write(as: .system) { tx -> Bool in
            guard let id = try tx.reader.ids("marketing_send", where: "token", equals: .text(token), limit: 1).first,
                  let send = try tx.reader.get("marketing_send", id),
                  let channel = MessageChannel(rawValue: send["channel"].textValue ?? ""), case .text(let address) = send["address"] else {
                throw KernelError(.notFound, "unknown unsubscribe link")
            }
            _ = try MarketingMessaging.optOut(tx, channel, address, via: "退订链接")
            return true
        }
        return .json(.table(["unsubscribed": .value(.bool(done)), "message": .value(.text("您已退订，不会再收到此类消息。"))]))
    }

    /// `POST /public/marketing/replies?token=<messages.sms.token>` with `{"channel": "sms", "from":
    /// "13800138000", "text": "TD"}`: a reply that says stop opts the sender out. The token is the
    /// SMS gateway's (the gateway forwards replies); a wrong one is 403.
    static var reply: PluginRoute {
        PluginRoute(.post, "replies", summary: "A reply forwarded by the SMS gateway or mail system; 退订/TD/STOP opts the sender out",
                    audience: .anyone(limit: RateLimit(requests: 600, perSeconds: 60)), body: .json) { request in
            let expected = try request.store.setting("messages.sms.token") ?? ""
            guard !expected.isEmpty, request.query["token"] == expected else {
                throw KernelError(.forbidden, "replies need the gateway's token (?token=)")
            }
            guard case .table(let body) = request.json ?? .null else { throw KernelError(.validation, "expects {\"channel\", \"from\", \"text\"}") }
            let channelName = body["channel"]?.text ?? "sms"
            guard let channel = MessageChannel(rawValue: channelName) else {
                throw KernelError(.validation, "channel must be email or sms", fieldErrors: [FieldError(field: "channel", message: "email or sms")])
            }
            guard let from = body["from"]?.text, !from.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw KernelError(.validation, "from is required", fieldErrors: [FieldError(field: "from", message: "is required")])
            }
            let text = (body["text"]?.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
            guard stopWords.contains(text) else { return .json(.table(["opted_out": .value(.bool(false))])) }
            let changed = try request.store.write(as: .system) { tx in try MarketingMessaging.optOut(tx, channel, from, via: "回复退订", note: text) }
            return .json(.table(["opted_out": .value(.bool(true)), "new": .value(.bool(changed))]))
        }
    }
}
