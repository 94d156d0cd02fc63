import Foundation
import Testing

/// Issue 17's done-when, walked through the real `crm` binary on a demo workspace.
@Suite(.serialized) struct ServiceCLITests {
    static let key = "e2e-inbound-key-0123456789"

    @Test func webFormAndMailBecomeRoutedTicketsRepliedRatedOnceAndCounted() async throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        #expect(try crm.run(["init", "--demo"]).status == 0)
        try #"crm.service.rules{ forms = { support = { honeypot = "website", min_fill_seconds = 3 } }, inbound_key = "\#(Self.key)" }"#
            .write(to: crm.workspace.appendingPathComponent("scripts/90_company.lua"), atomically: true, encoding: .utf8)
        let admin = try crm.run(["token", "create", "admin"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let agent = try crm.run(["token", "create", "sunli"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let manager = try crm.run(["token", "create", "zhouyan"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        // Breached demo tickets escalate to the manager.
        #expect(try crm.run(["jobs", "run", "service.sla_escalation"]).status == 0)

        let server = try ServerProcess(crm)
        defer { server.stop() }
        let started = Int(Date().timeIntervalSince1970) - 30
        let form = try await server.call("POST", "/public/service/tickets/support", token: nil,
            body: #"{"subject":"设备安装后无法开机","category":"安装调试","email":"kehu@example.cn","name":"李先生","_started":\#(started),"website":""}"#)
        #expect(form.status == 200, "\(form.text)")
        let number = try #require((form.object["data"] as? [String: Any])?["number"] as? String)
        let mail = try await server.call("POST", "/public/service/inbound-mail?key=\(Self.key)", token: nil,
            body: #"{"from":"stranger@example.com","subject":"发票抬头开错","text":"请重开"}"#)
        #expect(mail.status == 200 && (mail.object["data"] as? [String: Any])?["unmatched_sender"] as? Bool == true, "\(mail.text)")

        // The form ticket went to 孙丽 (安装调试 is her skill, she is available).
        let found = try await server.call("GET", "/api/v1/records/ticket?number=\(number)", token: admin)
        let ticket = try #require(found.data.first)
        let id = try #require(ticket["id"] as? Int)
        let sunli = try await server.call("GET", "/api/v1/records/user?name=sunli", token: admin).data.first?["id"] as? Int
        #expect(ticket["assignee"] as? Int == sunli && ticket["status"] as? String == "已分配")

        // She answers with a template; the reply is queued to the customer's address.
        let templates = try await server.call("GET", "/api/v1/records/reply_template?name=受理确认", token: agent).data
        let template = try #require(templates.first?["id"] as? Int)
        let reply = try await server.call("POST", "/api/v1/actions/service/reply", token: agent, body: #"[\#(id), {"template": \#(template)}]"#)
        #expect(reply.status == 200 && reply.text.contains(number) && reply.text.contains("kehu@example.cn"), "\(reply.text)")
        let sla = try await server.call("POST", "/api/v1/actions/service/sla_state", token: agent, body: "[\(id)]")
        #expect(sla.status == 200 && sla.text.contains("\"met\""), "\(sla.text)")

        // Solved: a rating link goes out; a 5 is recorded once, a second use is refused.
        #expect(try await server.call("PATCH", "/api/v1/records/ticket/\(id)", token: agent, body: #"{"status":"已解决"}"#).status == 200)
        let messages = try await server.call("GET", "/api/v1/records/ticket_message?ticket=\(id)&direction=out", token: admin).data
        let link = try #require(messages.compactMap { $0["body"] as? String }.first { $0.contains("/rate/") })
        let token = String(link[link.range(of: "/rate/")!.upperBound...].prefix { !$0.isWhitespace })
        #expect(try await server.call("POST", "/public/service/ratings/\(token)", token: nil, body: #"{"score":5}"#).status == 200)
        let again = try await server.call("POST", "/public/service/ratings/\(token)", token: nil, body: #"{"score":5}"#)
        #expect(again.status >= 400 && again.text.contains("already"))

        // The reports agree with the tickets.
        let csat = try await server.call("POST", "/api/v1/actions/service/csat", token: manager, body: #"[{"by":"agent"}]"#)
        #expect(csat.status == 200 && csat.text.contains("孙丽"), "\(csat.text)")
        let report = try await server.call("POST", "/api/v1/actions/service/sla_report", token: manager, body: #"[{"by":"team"}]"#)
        let solved = try await server.call("GET", "/api/v1/records/ticket?total=true&limit=1&sla_breached=true", token: manager).object["total"] as? Int
        #expect(report.status == 200 && solved != nil && report.text.contains("\"breached\":\(solved!)"), "\(report.text) vs \(String(describing: solved))")
        let notes = try await server.call("GET", "/api/v1/records/notification?kind=ticket.sla_breach", token: manager).data
        #expect(!notes.isEmpty)
    }
}
