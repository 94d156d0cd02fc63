import CRMTestSupport
import Foundation
import Testing

/// `crm serve`, `crm token create` and webhooks, driven through the real binary.
@Suite(.serialized) struct ServeCLITests {
    @Test func aTokenFromTheCLIDoesThroughHTTPWhatTheConsoleDoesWithinTheRoleScope() async throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        #expect(try crm.run(["init", "--demo"]).status == 0)
        #expect(try crm.run(["user", "add", "rep9", "--role", "sales_rep", "--team", "华北销售部"]).status == 0)
        let made = try crm.run(["token", "create", "lina"])
        #expect(made.status == 0)
        let lina = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(lina.hasPrefix("crm_") && !lina.contains(" ") && !lina.contains("\n"))
        let manager = try crm.run(["token", "create", "zhangwei"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let rep9 = try crm.run(["token", "create", "rep9"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try crm.run(["token", "create", "nobody"]).status != 0)

        let server = try ServerProcess(crm)
        defer { server.stop() }
        #expect(try await server.call("GET", "/healthz", token: nil).status == 200)
        #expect(try await server.call("GET", "/api/v1/records/customer", token: nil).status == 401)

        let created = try await server.call("POST", "/api/v1/records/customer", token: lina,
            body: #"{"name":"杭州新叶茶业有限公司","phone":"+86 139-0571-0001","industry":"零售业","source":"展会推荐"}"#)
        #expect(created.status == 201)
        let id = try #require(created.object["id"] as? Int)
        // 查重 works over HTTP as in the console: the same phone written differently is blocked.
        let duplicate = try await server.call("POST", "/api/v1/records/customer", token: lina,
            body: #"{"name":"新叶茶业","phone":"13905710001","industry":"零售业","source":"展会推荐"}"#)
        #expect(duplicate.status == 400 || duplicate.status == 409)
        #expect(try await server.call("POST", "/api/v1/records/followup", token: lina,
            body: #"{"customer":\#(id),"type":"电话","content":"首次电话沟通"}"#).status == 201)
        let timeline = try await server.call("POST", "/api/v1/actions/customers/timeline", token: lina, body: "[\(id)]")
        #expect(timeline.status == 200 && timeline.text.contains("首次电话沟通"))

        // The rep of another team sees nothing of it; the manager of lina's team sees it.
        #expect(try await server.call("GET", "/api/v1/records/customer/\(id)", token: rep9).status == 404)
        #expect(try await server.call("GET", "/api/v1/records/customer/\(id)", token: manager).status == 200)

        // The scheduler inside crm serve has delivered the demo task's due reminder as a notification.
        let admin = try crm.run(["token", "create", "admin"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        var reminders: [[String: Any]] = []
        for _ in 0..<50 where reminders.isEmpty {
            reminders = try await server.call("GET", "/api/v1/records/notification?kind=task.reminder", token: admin).data
            if reminders.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
        }
        // The task due in five minutes (its reminder is due now) is reminded; so is the one whose
        // reminder time passed while no server ran.
        #expect(reminders.contains { $0["title"] as? String == "任务提醒：回访确认报价" && $0["entity"] as? String == "task" }, "\(reminders)")

        // Export as a user: a rep has no export grant; the manager gets the team's customers.
        #expect(try crm.run(["export", "customer", "--as", "rep9"]).status == 5)
        let exported = try crm.run(["export", "customer", "--as", "zhangwei"])
        #expect(exported.status == 0)
        let visible = try await server.call("GET", "/api/v1/records/customer?total=true&limit=1", token: manager).object["total"] as? Int
        #expect(exported.stdout.split(separator: "\n").count - 1 == visible)
        #expect(exported.stdout.contains("杭州新叶茶业有限公司"))

        // The console acting as a rep is held to the same scope.
        let script = try crm.write("mine.lua", """
            local seen = false
            for _, c in ipairs(crm.find("customer", {}, {limit = 1000})) do
              if c.id == \(id) or c.owner ~= nil then seen = true end
            end
            print("seen=" .. tostring(seen))
            print("other=" .. tostring(crm.get("customer", \(id))))
            """)
        let asRep9 = try crm.run(["run", script, "--as", "rep9"])
        #expect(asRep9.stdout.contains("seen=false") && asRep9.stdout.contains("other=nil"), "\(asRep9.stdout) \(asRep9.stderr)")
        #expect(server.stop() == 0)
    }

    @Test func aWebhookGetsAnEventWrittenBeforeARestart() async throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        #expect(try crm.run(["init"]).status == 0)
        let admin = try crm.run(["token", "create", "admin"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let receiver = try WebhookReceiver(crm)
        defer { receiver.stop() }

        var server = try ServerProcess(crm, extra: ["--no-webhooks"])
        let hook = try await server.call("POST", "/api/v1/records/webhook", token: admin,
            body: #"{"url":"http://127.0.0.1:\#(receiver.port)/hook","events":["customer.after_create"],"secret":"s3cret"}"#)
        #expect(hook.status == 201, "\(hook.text)")
        let created = try await server.call("POST", "/api/v1/records/customer", token: admin,
            body: #"{"name":"重启测试有限公司","phone":"13900001111","industry":"制造业","source":"展会推荐"}"#)
        #expect(created.status == 201)
        #expect(server.stop() == 0)
        #expect(receiver.deliveries().isEmpty)

        server = try ServerProcess(crm)
        defer { server.stop() }
        var got: [String] = []
        for _ in 0..<100 where got.isEmpty {
            try await Task.sleep(for: .milliseconds(100))
            got = receiver.deliveries()
        }
        #expect(got.count == 1)
        #expect(got.first?.hasPrefix("valid customer.after_create") == true, "\(got)")
        #expect(got.first?.contains("重启测试有限公司") == true)
    }
}

/// A webhook receiver on 127.0.0.1 (Python's http.server) that checks each body's HMAC
/// signature and logs `valid|invalid <event> <body>` lines.
final class WebhookReceiver: @unchecked Sendable {
    let process = Process()
    let port: Int
    let log: URL

    init(_ crm: CRMProcess, secret: String = "s3cret") throws {
        log = crm.root.appendingPathComponent("deliveries.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let script = try crm.write("receiver.py", """
            import hashlib, hmac, http.server, sys
            LOG, SECRET = sys.argv[1], sys.argv[2].encode()
            class H(http.server.BaseHTTPRequestHandler):
                def do_POST(self):
                    body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                    want = "sha256=" + hmac.new(SECRET, body, hashlib.sha256).hexdigest()
                    ok = hmac.compare_digest(want, self.headers.get("X-CRM-Signature", ""))
                    with open(LOG, "a") as f:
                        f.write(("valid " if ok else "invalid ") + self.headers.get("X-CRM-Event", "") + " " + body.decode() + "\\n")
                    self.send_response(200); self.end_headers()
                def log_message(self, *a): pass
            s = http.server.HTTPServer(("127.0.0.1", 0), H)
            print(s.server_address[1], flush=True)
            s.serve_forever()
            """)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, log.path, secret]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    func deliveries() -> [String] {
        (try? String(contentsOf: log, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
    }

    /// Kills the receiver (SIGKILL: a child may inherit a mask that blocks SIGTERM).
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
