import CRMKernel
import CRMServer
import Foundation
import HummingbirdTesting
import Testing

/// Holes closed by enforcing access in the kernel, seen over HTTP: plugin actions, search,
/// derived fields, stage history and reports, duplicates, references and owners.
struct KernelAccessAPITests {
    /// A rep role for whom customer phones and opportunity amounts are hidden and owners
    /// read-only (test-local: it replaces the stock `sales_rep`).
    static let restrictedRep = """
    crm.role("sales_rep", {
      label = "销售专员", scope = "own",
      grants = {
        customer = { "read", "create", "update" }, contact = { "read", "create", "update" },
        task = { "read", "create", "update" }, followup = { "read", "create", "update" },
        opportunity = { "read", "create", "update" }, opportunity_stage = { "read" },
        user = { "read" }, team = { "read" },
      },
      hidden = { customer = { "phone" }, opportunity = { "amount" } },
      readonly = { customer = { "owner" }, opportunity = { "owner" } },
      unowned = { "customer" },
    })
    """

    @Test func opportunityActionsCannotWriteFieldsTheCallerMayNotWrite() async throws {
        let f = try ServerFixture(companyScript: Self.restrictedRep)
        let (boss, rep1, rep2) = (f.tokens["boss"]!, f.tokens["rep1"]!, f.ids["rep2"]!)
        try await f.withClient { c in
            let customer = try await c.makeCustomer(f, "行动客户", phone: "13900001001", owner: "rep1")
            let made = try await c.call(.post, "/api/v1/records/opportunity", token: boss,
                                        body: #"{"name":"行动商机","customer":\#(customer),"amount":"5000.00","owner":\#(f.ids["rep1"]!)}"#)
            let id = try #require(made.object["id"] as? Int)
            let before = try await c.call(.get, "/api/v1/records/opportunity/\(id)", token: boss).object

            for (action, body) in [("move", #"[\#(id), "方案制定", {"owner": \#(rep2)}]"#),
                                   ("move", #"[\#(id), "方案制定", {"amount": "1.00"}]"#),
                                   ("win", #"[\#(id), {"owner": \#(rep2)}]"#),
                                   ("win", #"[\#(id), {"amount": "1.00"}]"#),
                                   ("lose", #"[\#(id), "价格太高", {"owner": \#(rep2)}]"#),
                                   ("lose", #"[\#(id), "价格太高", {"amount": "1.00"}]"#)] {
                let r = try await c.call(.post, "/api/v1/actions/opportunities/\(action)", token: rep1, body: body)
                #expect(r.status == 403, "\(action) \(body): \(r.text)")
            }
            let after = try await c.call(.get, "/api/v1/records/opportunity/\(id)", token: boss).object
            #expect(after["owner"] as? Int == f.ids["rep1"].map(Int.init))
            #expect(after["amount"] as? String == before["amount"] as? String)
            #expect(after["stage"] as? String == before["stage"] as? String)

            // A move she may make works, and its result does not show the hidden amount.
            let moved = try await c.call(.post, "/api/v1/actions/opportunities/move", token: rep1, body: #"[\#(id), "需求确认"]"#)
            #expect(moved.status == 200, "\(moved.text)")
            #expect(!moved.text.contains("amount") && !moved.text.contains("5000"))
        }
    }

    @Test func searchMatchesOnlyTheFieldsTheCallerSees() async throws {
        let f = try ServerFixture(companyScript: Self.restrictedRep)
        let (boss, rep1) = (f.tokens["boss"]!, f.tokens["rep1"]!)
        try await f.withClient { c in
            _ = try await c.makeCustomer(f, "搜索客户", phone: "13912345678", owner: "rep1")
            #expect(try await c.call(.get, "/api/v1/records/customer?q=1391234", token: boss).data.count == 1)
            let probe = try await c.call(.get, "/api/v1/records/customer?q=1391234&total=true", token: rep1)
            #expect(probe.status == 200 && probe.data.isEmpty && probe.object["total"] as? Int == 0, "\(probe.text)")
            // The visible fields still match, also together with a hidden-field term (which must not).
            #expect(try await c.call(.get, "/api/v1/records/customer?q=%E6%90%9C%E7%B4%A2", token: rep1).data.count == 1)
            #expect(try await c.call(.get, "/api/v1/records/customer?q=%E6%90%9C%E7%B4%A2%201391234", token: rep1).data.isEmpty)
        }
    }

    @Test func fieldsDerivedFromAHiddenFieldAreHiddenWithIt() async throws {
        let f = try ServerFixture(companyScript: Self.restrictedRep)
        let (boss, rep1) = (f.tokens["boss"]!, f.tokens["rep1"]!)
        try await f.withClient { c in
            let id = try await c.makeCustomer(f, "派生客户", phone: "13955556666", owner: "rep1")
            #expect(try await c.call(.get, "/api/v1/records/customer/\(id)", token: boss).object["phone_key"] as? String == "13955556666")
            #expect(try await c.call(.patch, "/api/v1/records/customer/\(id)", token: boss, body: #"{"phone":"13955557777"}"#).status == 200)
            let replies = [
                try await c.call(.get, "/api/v1/records/customer/\(id)", token: rep1),
                try await c.call(.get, "/api/v1/records/customer", token: rep1),
                try await c.call(.get, "/api/v1/records/customer/\(id)/history", token: rep1),
            ]
            for r in replies {
                #expect(r.status == 200)
                #expect(!r.text.contains("phone_key") && !r.text.contains("1395555"), "\(r.text.prefix(300))")
            }
            #expect(try await c.call(.get, "/api/v1/records/customer?phone_key=13955557777", token: rep1).status == 400)
            #expect(try await c.call(.get, "/api/v1/records/customer?sort=phone_key", token: rep1).status == 400)
        }
    }

    @Test func stageHistoryAndReportsDoNotRevealAHiddenAmount() async throws {
        let f = try ServerFixture(companyScript: Self.restrictedRep)
        let (boss, rep1) = (f.tokens["boss"]!, f.tokens["rep1"]!)
        try await f.withClient { c in
            let customer = try await c.makeCustomer(f, "报表客户", phone: "13900001002", owner: "rep1")
            let made = try await c.call(.post, "/api/v1/records/opportunity", token: boss,
                                        body: #"{"name":"报表商机","customer":\#(customer),"amount":"76543.00","owner":\#(f.ids["rep1"]!)}"#)
            let id = try #require(made.object["id"] as? Int)
            let history = try await c.call(.post, "/api/v1/actions/opportunities/history", token: rep1, body: "[\(id)]")
            #expect(history.status == 200 && !history.text.contains("76543") && !history.text.contains("amount"), "\(history.text)")
            let stays = try await c.call(.get, "/api/v1/records/opportunity_stage", token: rep1)
            #expect(stays.status == 200 && stays.data.count == 1 && !stays.text.contains("76543"), "\(stays.text)")
            for report in ["funnel", "stats", "forecast"] {
                let r = try await c.call(.post, "/api/v1/actions/opportunities/\(report)", token: rep1, body: "[{}]")
                #expect(r.status == 400 && !r.text.contains("76543"), "\(report): \(r.text)")
            }
            let filtered = try await c.call(.post, "/api/v1/actions/opportunities/stalled", token: rep1, body: #"[{"amount": "76543.00"}]"#)
            #expect(filtered.status == 400, "\(filtered.text)")
            // The administrator still gets the sums.
            let funnel = try await c.call(.post, "/api/v1/actions/opportunities/funnel", token: boss, body: "[{}]")
            #expect(funnel.status == 200 && funnel.text.contains("76543"))
        }
    }

    @Test func duplicatesHeldByOthersAreReportedWithoutTheirDetails() async throws {
        let f = try ServerFixture()
        let (rep1, rep3) = (f.tokens["rep1"]!, f.tokens["rep3"]!)
        try await f.withClient { c in
            let other = try await c.call(.post, "/api/v1/records/customer", token: rep3, body: customerJSON("机密重复科技有限公司", phone: "13900001003"))
            let otherID = try #require(other.object["id"] as? Int)
            let found = try await c.call(.post, "/api/v1/actions/customers/duplicates", token: rep1, body: #"[{"phone": "13900001003"}]"#)
            #expect(found.status == 200 && found.text.contains("\"visible\":false"), "\(found.text)")
            #expect(!found.text.contains("机密重复") && !found.text.contains("\"id\""), "\(found.text)")
            // Saving the duplicate is refused, without naming the other rep's customer.
            let blocked = try await c.call(.post, "/api/v1/records/customer", token: rep1, body: customerJSON("另一家公司", phone: "13900001003"))
            #expect(blocked.status == 409 && !blocked.text.contains("机密重复") && !blocked.text.contains("#\(otherID)"), "\(blocked.text)")
        }
    }

    @Test func aReferenceToAnInvisibleRecordIsRefusedLikeAMissingOne() async throws {
        let f = try ServerFixture()
        let (rep1, rep3) = (f.tokens["rep1"]!, f.tokens["rep3"]!)
        try await f.withClient { c in
            let other = try await c.call(.post, "/api/v1/records/customer", token: rep3, body: customerJSON("别人的客户", phone: "13900001004"))
            let hidden = try #require(other.object["id"] as? Int), missing = hidden + 1000
            func refusal(_ entity: String, _ body: (Int) -> String) async throws -> [String] {
                var texts: [String] = []
                for id in [hidden, missing] {
                    let r = try await c.call(.post, "/api/v1/records/\(entity)", token: rep1, body: body(id))
                    #expect(r.status == 400, "\(r.text)")
                    texts.append(r.text.replacingOccurrences(of: String(id), with: "ID"))
                }
                return texts
            }
            let contact = try await refusal("contact") { #"{"name":"联系人甲","customer":\#($0)}"# }
            #expect(contact[0] == contact[1])
            let opportunity = try await refusal("opportunity") { #"{"name":"商机甲","customer":\#($0)}"# }
            #expect(opportunity[0] == opportunity[1])
        }
    }

    @Test func aRepCannotHandRecordsToAnotherUser() async throws {
        let f = try ServerFixture()
        let (mgr, rep1, rep2) = (f.tokens["mgr"]!, f.tokens["rep1"]!, f.ids["rep2"]!)
        try await f.withClient { c in
            #expect(try await c.call(.post, "/api/v1/records/task", token: rep1, body: #"{"title":"给别人的任务","owner":\#(rep2)}"#).status == 403)
            let own = try await c.call(.post, "/api/v1/records/task", token: rep1, body: #"{"title":"我的任务"}"#)
            let id = try #require(own.object["id"] as? Int)
            #expect(try await c.call(.patch, "/api/v1/records/task/\(id)", token: rep1, body: #"{"owner":\#(rep2)}"#).status == 403)
            let customer = try await c.call(.post, "/api/v1/records/customer", token: rep1, body: customerJSON("联系人客户", phone: "13900001005"))
            let cid = try #require(customer.object["id"] as? Int)
            #expect(try await c.call(.post, "/api/v1/records/contact", token: rep1, body: #"{"name":"乙","customer":\#(cid),"owner":\#(rep2)}"#).status == 403)
            // A manager may assign within the team she sees.
            #expect(try await c.call(.patch, "/api/v1/records/task/\(id)", token: mgr, body: #"{"owner":\#(rep2)}"#).status == 200)
        }
    }
}

extension TestClientProtocol {
    /// Creates (as the administrator) a customer owned by `owner`; returns its id.
    func makeCustomer(_ f: ServerFixture, _ name: String, phone: String, owner: String) async throws -> Int {
        let r = try await call(.post, "/api/v1/records/customer", token: f.tokens["boss"]!,
                               body: customerJSON(name, phone: phone, extra: #","owner":\#(f.ids[owner]!)"#))
        return try #require(r.object["id"] as? Int, "\(r.text)")
    }
}
