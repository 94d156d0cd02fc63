import CRMKernel
import CRMServer
import Foundation
import Testing

/// Webhooks are registered by administrators and their secrets are write-only; tokens always
/// expire, and minting one for someone else is an administrator action.
struct SecretAndTokenAPITests {
    @Test func onlyAdministratorsRegisterChangeOrRemoveWebhooksWhateverTheGrants() async throws {
        let f = try ServerFixture(companyScript: """
            crm.role("integrator", { label = "集成", scope = "all", grants = { webhook = "*", customer = { "read" } } })
            """)
        let integrator = try f.addUser("erp", role: "integrator").token
        try await f.withClient { c in
            let body = #"{"url":"http://127.0.0.1:9/hook","events":["*"],"secret":"mine"}"#
            #expect(try await c.call(.post, "/api/v1/records/webhook", token: integrator, body: body).status == 403)
            let made = try await c.call(.post, "/api/v1/records/webhook", token: f.tokens["boss"]!, body: body)
            let id = try #require(made.object["id"] as? Int)
            #expect(try await c.call(.patch, "/api/v1/records/webhook/\(id)", token: integrator, body: #"{"events":["*"],"active":true,"url":"http://127.0.0.1:8/x"}"#).status == 403)
            #expect(try await c.call(.delete, "/api/v1/records/webhook/\(id)", token: integrator).status == 403)
            #expect(try await c.call(.get, "/api/v1/records/webhook", token: integrator).data.count == 1)
        }
    }

    @Test func aWebhookSecretIsNeverReadBackNorInEventsTheAuditLogOrTheSchema() async throws {
        let f = try ServerFixture()
        let boss = f.tokens["boss"]!
        let store = f.host.workspace.store
        try await f.withClient { c in
            let first = try await c.call(.post, "/api/v1/records/webhook", token: boss,
                                         body: #"{"url":"http://127.0.0.1:9/a","events":["*"],"secret":"first-s3cret"}"#)
            #expect(first.status == 201 && !first.text.contains("s3cret") && first.object["secret"] == nil, "\(first.text)")
            let id = try #require(first.object["id"] as? Int)
            let second = try await c.call(.post, "/api/v1/records/webhook", token: boss,
                                          body: #"{"url":"http://127.0.0.1:9/b","events":["webhook.*"],"secret":"second-s3cret"}"#)
            #expect(second.status == 201)
            let changed = try await c.call(.patch, "/api/v1/records/webhook/\(id)", token: boss, body: #"{"secret":"third-s3cret"}"#)
            #expect(changed.status == 200 && !changed.text.contains("s3cret"))
            for path in ["/api/v1/records/webhook", "/api/v1/records/webhook/\(id)", "/api/v1/records/webhook/\(id)/history"] {
                let read = try await c.call(.get, path, token: boss)
                #expect(read.status == 200 && !read.text.contains("s3cret"), "\(path): \(read.text)")
            }
            // Nor can it be probed by filter or sort.
            #expect(try await c.call(.get, "/api/v1/records/webhook?secret=third-s3cret", token: boss).status == 400)
            #expect(try await c.call(.get, "/api/v1/records/webhook?sort=secret", token: boss).status == 400)
            // The schema says the field is there and write-only.
            let openapi = try await c.call(.get, "/api/v1/openapi.json", token: boss).object
            let webhook = (((openapi["components"] as? [String: Any])?["schemas"] as? [String: Any])?["webhook"] as? [String: Any])?["properties"] as? [String: Any]
            #expect((webhook?["secret"] as? [String: Any])?["writeOnly"] as? Bool == true)
            #expect(try await c.call(.get, "/api/v1/schema", token: boss).text.contains("\"secret\":true"))
        }
        // Events (what a `*` webhook receives) and the audit log never hold it.
        let outbox = try store.outbox(after: 0, limit: 1000).filter { $0.entity == "webhook" }
        #expect(outbox.count == 3 && outbox.allSatisfy { !$0.payload.contains("s3cret") }, "\(outbox.map(\.payload))")
        let first = try #require(try store.find(Query("webhook", filter: .eq("url", .text("http://127.0.0.1:9/a")))).records.first).id
        let history = try store.history("webhook", first)
        #expect(history.flatMap(\.changes).filter { $0.field == "secret" }.map(\.new) == [.text(AuditLog.secretMarker), .text(AuditLog.secretMarker)])
        // The system (webhook delivery) still reads it.
        #expect(try store.get("webhook", first)?["secret"] == .text("third-s3cret"))
    }

    @Test func tokensExpireByDefaultAndANonsensicalExpiryIsRefusedByName() async throws {
        let f = try ServerFixture()
        let rep1 = f.tokens["rep1"]!
        try await f.withClient { c in
            for bad in ["0", "-1", "1.5", "100000", "\"30\"", "true", "[]"] {
                let reply = try await c.call(.post, "/api/v1/tokens", token: rep1, body: #"{"expires_in_days":\#(bad)}"#)
                #expect(reply.status == 400 && reply.text.contains("\"field\":\"expires_in_days\""), "\(bad): \(reply.text)")
            }
            let typo = try await c.call(.post, "/api/v1/tokens", token: rep1, body: #"{"expires_days":30}"#)
            #expect(typo.status == 400 && typo.text.contains("expires_days"))
            for (body, days) in [("", TokenLifetime.defaultDays), (#"{"label":"erp"}"#, TokenLifetime.defaultDays), (#"{"expires_in_days":7}"#, 7)] {
                let made = try await c.call(.post, "/api/v1/tokens", token: rep1, body: body.isEmpty ? nil : body)
                #expect(made.status == 201, "\(made.text)")
                let expires = try #require((made.object["expires_at"] as? String).flatMap(DateCoding.parseInstant))
                #expect(abs(expires.timeIntervalSinceNow - Double(days) * 86_400) < 120, "\(body): \(made.text)")
            }
        }
        #expect(try f.host.workspace.store.tokens(of: f.ids["rep1"]!).allSatisfy { $0.expiresAt != nil })
    }

    @Test func mintingATokenForSomeoneElseIsAnAdministratorAction() async throws {
        let f = try ServerFixture()
        try await f.withClient { c in
            let refused = try await c.call(.post, "/api/v1/tokens", token: f.tokens["rep1"]!, body: #"{"user":"rep2"}"#)
            #expect(refused.status == 403)
            #expect(try await c.call(.post, "/api/v1/tokens", token: f.tokens["rep1"]!, body: #"{"user":"rep1"}"#).status == 201)
            let made = try await c.call(.post, "/api/v1/tokens", token: f.tokens["boss"]!, body: #"{"user":"rep2","label":"for rep2"}"#)
            #expect(made.status == 201 && made.object["user"] as? String == "rep2", "\(made.text)")
            let token = try #require(made.object["token"] as? String)
            #expect(try await c.call(.get, "/api/v1/me", token: token).object["name"] as? String == "rep2")
        }
        // The kernel holds the rule for any caller.
        let rep1 = ActingUser(id: f.ids["rep1"]!, name: "rep1", role: "sales_rep")
        #expect(throws: KernelError.self) {
            try f.host.workspace.store.insertToken(hash: "x", userID: f.ids["rep2"]!, kind: "api", label: "x", expiresAt: Date(), by: rep1)
        }
        #expect(throws: KernelError.self) {
            try f.host.workspace.store.setPasswordHash("x", for: f.ids["rep2"]!, mustChange: false, by: rep1)
        }
    }

    @Test func anAPITokenOfAUserWhoMustChangeTheInitialPasswordCanOnlyChangeIt() async throws {
        let f = try ServerFixture()
        let accounts = Accounts(store: f.host.workspace.store)
        try accounts.setPassword("初始密码abc123", for: f.ids["rep3"]!, initial: true, by: .system)
        let made = try accounts.createToken(for: "rep3", label: "cli", expiresAt: try TokenLifetime.expiry(days: nil, field: "days"), by: .system)
        #expect(made.limitedToPasswordChange)
        try await f.withClient { c in
            let read = try await c.call(.get, "/api/v1/records/customer", token: made.token)
            #expect(read.status == 403 && read.text.contains("password-change-required"), "\(read.text)")
            #expect(try await c.call(.post, "/api/v1/tokens", token: made.token, body: "{}").status == 403)
            #expect(try await c.call(.post, "/api/v1/auth/password", token: made.token,
                                     body: #"{"current_password":"初始密码abc123","new_password":"新密码xyz789"}"#).status == 204)
            #expect(try await c.call(.get, "/api/v1/records/customer", token: made.token).status == 200)
        }
    }
}
