import CRMKernel
import CRMServer
import Foundation
import Testing

struct AccessAPITests {
    @Test func repsSeeTheirOwnCustomersAndManagersTheirTeams() async throws {
        let f = try ServerFixture()
        let (rep1, rep2, rep3, mgr) = (f.tokens["rep1"]!, f.tokens["rep2"]!, f.tokens["rep3"]!, f.tokens["mgr"]!)
        try await f.withClient { c in
            let mine = try await c.call(.post, "/api/v1/records/customer", token: rep1, body: customerJSON("一号客户", phone: "13900000021"))
            #expect(mine.status == 201)
            let id = try #require(mine.object["id"] as? Int)
            #expect(try await c.call(.post, "/api/v1/records/customer", token: rep3, body: customerJSON("三号客户", phone: "13900000023")).status == 201)

            // Another rep: not in the list, 404 on get, update and delete (never the content).
            #expect(try await c.call(.get, "/api/v1/records/customer", token: rep2).data.isEmpty)
            let peek = try await c.call(.get, "/api/v1/records/customer/\(id)", token: rep2)
            #expect(peek.status == 404 && !peek.text.contains("一号客户"))
            #expect(try await c.call(.patch, "/api/v1/records/customer/\(id)", token: rep2, body: #"{"grade":"A"}"#).status == 404)
            // Reps may not delete at all.
            #expect(try await c.call(.delete, "/api/v1/records/customer/\(id)", token: rep1).status == 403)
            // A rep cannot give a customer away: owner is read-only for the role.
            #expect(try await c.call(.patch, "/api/v1/records/customer/\(id)", token: rep1, body: #"{"owner":\#(f.ids["rep2"]!)}"#).status == 403)

            // The manager of 华南 sees rep1's customer but not rep3's (华北).
            let team = try await c.call(.get, "/api/v1/records/customer", token: mgr)
            #expect(team.data.map { $0["name"] as? String } == ["一号客户"])
            #expect(try await c.call(.get, "/api/v1/records/customer/\(id)", token: mgr).status == 200)
            // A plugin action on a record outside the scope is a 404 too.
            let timeline = try await c.call(.post, "/api/v1/actions/customers/timeline", token: rep2, body: "[\(id)]")
            #expect(timeline.status == 404)
            #expect(try await c.call(.post, "/api/v1/actions/customers/timeline", token: rep1, body: "[\(id)]").status == 200)
            // Administrator-only actions are refused to reps.
            #expect(try await c.call(.post, "/api/v1/actions/customers/transfer", token: rep1, body: #"["all", "rep2"]"#).status == 403)
            // Entities a role has no grant for.
            #expect(try await c.call(.get, "/api/v1/records/webhook", token: mgr).status == 403)
        }
    }

    @Test func hiddenFieldsNeverAppearAndCannotBeWrittenOrProbed() async throws {
        let script = """
        crm.field("customer", "cost_note", { type = "text", label = "成本备注" })
        crm.role("sales_rep", {
          label = "销售专员", scope = "own",
          grants = { customer = { "read", "create", "update" } },
          hidden = { customer = { "cost_note" } },
        })
        """
        let f = try ServerFixture(companyScript: script)
        let (boss, rep1) = (f.tokens["boss"]!, f.tokens["rep1"]!)
        try await f.withClient { c in
            let made = try await c.call(.post, "/api/v1/records/customer", token: rep1, body: customerJSON("四号客户", phone: "13900000024"))
            let id = try #require(made.object["id"] as? Int)
            #expect(made.object.keys.contains("cost_note") == false)
            #expect(try await c.call(.patch, "/api/v1/records/customer/\(id)", token: boss, body: #"{"cost_note":"底价八折"}"#).object["cost_note"] as? String == "底价八折")

            let replies = [
                try await c.call(.get, "/api/v1/records/customer/\(id)", token: rep1),
                try await c.call(.get, "/api/v1/records/customer", token: rep1),
                try await c.call(.get, "/api/v1/records/customer/\(id)/history", token: rep1),
                try await c.call(.get, "/api/v1/schema", token: rep1),
                try await c.call(.get, "/api/v1/openapi.json", token: rep1),
                try await c.call(.post, "/api/v1/actions/customers/timeline", token: rep1, body: "[\(id)]"),
            ]
            for r in replies {
                #expect(r.status == 200)
                #expect(!r.text.contains("cost_note") && !r.text.contains("底价八折"), "\(r.text.prefix(200))")
            }
            let write = try await c.call(.patch, "/api/v1/records/customer/\(id)", token: rep1, body: #"{"cost_note":"x"}"#)
            #expect(write.status == 403 && write.text.contains("\"field\":\"cost_note\""))
            #expect(try await c.call(.get, "/api/v1/records/customer?cost_note=%E5%BA%95", token: rep1).status == 400)
            #expect(try await c.call(.get, "/api/v1/records/customer?sort=cost_note", token: rep1).status == 400)
        }
    }

    @Test func tokensSignInLockoutAndInitialPasswords() async throws {
        let f = try ServerFixture()
        let accounts = Accounts(store: f.host.workspace.store)
        try accounts.setPassword("初始密码abc123", for: f.ids["rep1"]!, initial: true, by: .system)
        try accounts.setPassword("correct horse", for: f.ids["rep2"]!, initial: false, by: .system)
        try await f.withClient { c in
            #expect(try await c.call(.get, "/api/v1/records/customer", token: nil).status == 401)
            #expect(try await c.call(.get, "/api/v1/records/customer", token: "crm_not_a_token").status == 401)

            // An initial password signs in, but only changing it is allowed.
            let first = try await c.call(.post, "/api/v1/auth/login", token: nil, body: #"{"username":"rep1","password":"初始密码abc123"}"#)
            #expect(first.status == 200 && first.object["must_change_password"] as? Bool == true)
            let session = try #require(first.object["token"] as? String)
            #expect(try await c.call(.get, "/api/v1/records/customer", token: session).status == 403)
            #expect(try await c.call(.post, "/api/v1/auth/password", token: session, body: #"{"current_password":"wrong","new_password":"新密码xyz789"}"#).status == 403)
            #expect(try await c.call(.post, "/api/v1/auth/password", token: session, body: #"{"current_password":"初始密码abc123","new_password":"short"}"#).status == 400)
            #expect(try await c.call(.post, "/api/v1/auth/password", token: session, body: #"{"current_password":"初始密码abc123","new_password":"新密码xyz789"}"#).status == 204)
            #expect(try await c.call(.get, "/api/v1/records/customer", token: session).status == 200)
            #expect(try await c.call(.get, "/api/v1/me", token: session).object["name"] as? String == "rep1")

            // Sign-out revokes the session token.
            #expect(try await c.call(.post, "/api/v1/auth/logout", token: session).status == 204)
            #expect(try await c.call(.get, "/api/v1/records/customer", token: session).status == 401)

            // Five wrong passwords lock the account, even for the right one.
            for _ in 0..<5 {
                #expect(try await c.call(.post, "/api/v1/auth/login", token: nil, body: #"{"username":"rep2","password":"nope nope"}"#).status == 401)
            }
            let locked = try await c.call(.post, "/api/v1/auth/login", token: nil, body: #"{"username":"rep2","password":"correct horse"}"#)
            #expect(locked.status == 429 && locked.headers[.retryAfter] != nil)
            #expect(try await c.call(.post, "/api/v1/auth/login", token: nil, body: #"{"username":"nobody","password":"x"}"#).status == 401)

            // API tokens can be made and revoked through the API.
            let made = try await c.call(.post, "/api/v1/tokens", token: f.tokens["rep3"]!, body: #"{"label":"erp"}"#)
            let token = try #require(made.object["token"] as? String), tokenID = try #require(made.object["id"] as? Int)
            #expect(try await c.call(.get, "/api/v1/me", token: token).status == 200)
            #expect(try await c.call(.delete, "/api/v1/tokens/\(tokenID)", token: f.tokens["rep2"]!).status == 404)
            #expect(try await c.call(.delete, "/api/v1/tokens/\(tokenID)", token: f.tokens["rep3"]!).status == 204)
            #expect(try await c.call(.get, "/api/v1/me", token: token).status == 401)
        }
        // Only hashes are stored.
        let rows = try f.host.workspace.store.tokens(of: f.ids["rep3"]!)
        #expect(!rows.isEmpty)
        #expect(try f.host.workspace.store.credential(f.ids["rep2"]!)?.passwordHash.hasPrefix("$2") == true)
    }
}

struct NotificationAPITests {
    @Test func eachUserListsAndMarksOnlyTheirOwnNotifications() async throws {
        let f = try ServerFixture()
        let (rep1, rep2) = (f.ids["rep1"]!, f.ids["rep2"]!)
        let sent = try f.host.workspace.store.write(as: .system) { tx in
            [try Notifications.send(.init(user: rep1, kind: "task.reminder", title: "回访客户"), in: tx)!.id,
             try Notifications.send(.init(user: rep1, kind: "pool.warning", title: "即将退回公海"), in: tx)!.id,
             try Notifications.send(.init(user: rep2, kind: "task.reminder", title: "别人的提醒"), in: tx)!.id]
        }
        try await f.withClient { c in
            let mine = try await c.call(.get, "/api/v1/notifications?unread=true", token: f.tokens["rep1"]!)
            #expect(mine.data.map { $0["title"] as? String } == ["即将退回公海", "回访客户"] && mine.object["unread"] as? Int == 2)
            // Someone else's notification cannot be marked; nothing changes.
            #expect(try await c.call(.post, "/api/v1/notifications/read", token: f.tokens["rep1"]!, body: #"{"ids":[\#(sent[2])]}"#).status == 403)
            let marked = try await c.call(.post, "/api/v1/notifications/read", token: f.tokens["rep1"]!, body: #"{"ids":[\#(sent[0])]}"#)
            #expect(marked.object["marked"] as? Int == 1)
            #expect(try await c.call(.get, "/api/v1/notifications?unread=true", token: f.tokens["rep1"]!).object["unread"] as? Int == 1)
            #expect(try await c.call(.post, "/api/v1/notifications/read", token: f.tokens["rep1"]!, body: #"{"all":true}"#).object["marked"] as? Int == 1)
            #expect(try await c.call(.get, "/api/v1/notifications?unread=true", token: f.tokens["rep2"]!).object["unread"] as? Int == 1)
            // Through the records API a rep sees only their own as well.
            #expect(try await c.call(.get, "/api/v1/records/notification", token: f.tokens["rep2"]!).data.count == 1)
        }
    }
}
