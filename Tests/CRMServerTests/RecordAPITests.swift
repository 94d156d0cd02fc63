import CRMKernel
import Foundation
import Testing

struct RecordAPITests {
    @Test func createGetListUpdateDeleteWithFiltersAndPaging() async throws {
        let f = try ServerFixture()
        let boss = f.tokens["boss"]!
        try await f.withClient { c in
            let made = try await c.call(.post, "/api/v1/records/customer", token: boss, body: customerJSON("深圳前海科技有限公司", phone: "139 1234 5678", extra: #","city":"深圳","tags":["重点","华南"]"#))
            #expect(made.status == 201)
            let id = try #require(made.object["id"] as? Int)
            #expect(made.headers[.location] == "/api/v1/records/customer/\(id)")
            #expect(made.object["phone"] as? String == "13912345678")
            for i in 0..<4 {
                _ = try await c.call(.post, "/api/v1/records/customer", token: boss, body: customerJSON("广州第\(i)贸易公司", phone: "1380000000\(i)", extra: #","city":"广州""#))
            }
            let got = try await c.call(.get, "/api/v1/records/customer/\(id)", token: boss)
            #expect(got.status == 200 && got.object["name"] as? String == "深圳前海科技有限公司")

            let city = try await c.call(.get, "/api/v1/records/customer?city=%E5%B9%BF%E5%B7%9E&limit=3&total=true&sort=-id", token: boss)
            #expect(city.data.count == 3 && city.object["total"] as? Int == 4)
            let cursor = try #require(city.object["next_cursor"] as? String)
            let next = try await c.call(.get, "/api/v1/records/customer?city=%E5%B9%BF%E5%B7%9E&limit=3&sort=-id&after=\(cursor)", token: boss)
            #expect(next.data.count == 1 && next.object["next_cursor"] is NSNull)

            let orFilter = #"{"_or":[{"city":"深圳"},{"name":"广州第0贸易公司"}]}"#.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            #expect(try await c.call(.get, "/api/v1/records/customer?filter=\(orFilter)", token: boss).data.count == 2)
            #expect(try await c.call(.get, "/api/v1/records/customer?tags%5Bcontains%5D=%E9%87%8D%E7%82%B9", token: boss).data.count == 1)
            #expect(try await c.call(.get, "/api/v1/records/customer?q=%E5%89%8D%E6%B5%B7", token: boss).data.count == 1)

            let patched = try await c.call(.patch, "/api/v1/records/customer/\(id)", token: boss, body: #"{"grade":"A"}"#)
            #expect(patched.status == 200 && patched.object["grade"] as? String == "A" && patched.object["city"] as? String == "深圳")
            let history = try await c.call(.get, "/api/v1/records/customer/\(id)/history", token: boss)
            #expect(history.text.contains("\"field\":\"grade\""))
            #expect(try await c.call(.delete, "/api/v1/records/customer/\(id)", token: boss).status == 204)
            #expect(try await c.call(.get, "/api/v1/records/customer/\(id)", token: boss).status == 404)
        }
    }

    @Test func badInputIsAProblemNamingTheFieldAndChangesNothing() async throws {
        let f = try ServerFixture(maxBody: 2048)
        let boss = f.tokens["boss"]!
        try await f.withClient { c in
            // No token: 401 first, whatever the body.
            #expect(try await c.call(.post, "/api/v1/records/customer", token: nil, body: #"{"name": "#).status == 401)
            #expect(try await c.call(.patch, "/api/v1/records/customer/bulk", token: "crm_bad", body: "[").status == 401)
            let malformed = try await c.call(.post, "/api/v1/records/customer", token: boss, body: #"{"name": "#)
            #expect(malformed.status == 400 && malformed.headers[.contentType] == "application/problem+json")
            let unknown = try await c.call(.post, "/api/v1/records/customer", token: boss, body: customerJSON("甲公司", phone: "13900000001", extra: #","colour":"red""#))
            #expect(unknown.status == 400)
            #expect((unknown.object["errors"] as? [[String: Any]])?.first?["field"] as? String == "colour")
            let wrongType = try await c.call(.post, "/api/v1/records/opportunity", token: boss, body: #"{"name":"x","customer":"abc"}"#)
            #expect(wrongType.status == 400 && wrongType.text.contains("\"field\":\"customer\""))
            let missing = try await c.call(.post, "/api/v1/records/customer", token: boss, body: #"{"name":"乙公司"}"#)
            #expect(missing.status == 400 && missing.text.contains("\"field\":\"phone\""))
            let huge = try await c.call(.post, "/api/v1/records/customer", token: boss, body: customerJSON(String(repeating: "大", count: 1000), phone: "13900000002"))
            #expect(huge.status == 413)
            #expect(try await c.call(.get, "/api/v1/records/nothing", token: boss).status == 404)
            #expect(try await c.call(.get, "/api/v1/records/customer?colour=red", token: boss).status == 400)
            #expect(try await c.call(.get, "/api/v1/records/customer?city%5Bnear%5D=x", token: boss).status == 400)
            // SQL in a filter value is just a value.
            let sql = "'%20OR%201=1%20--"
            let injected = try await c.call(.get, "/api/v1/records/customer?name=\(sql)", token: boss)
            #expect(injected.status == 200 && injected.data.isEmpty)
            #expect(try await c.call(.get, "/api/v1/records/customer?total=true", token: boss).object["total"] as? Int == 0)
        }
    }

    @Test func bulkWritesAreAllOrNothingAndNameTheItemAtFault() async throws {
        let f = try ServerFixture()
        let boss = f.tokens["boss"]!
        try await f.withClient { c in
            let bad = #"{"records":[\#(customerJSON("丙公司", phone: "13900000011")),\#(customerJSON("丁公司", phone: "12"))]}"#
            let refused = try await c.call(.post, "/api/v1/records/customer/bulk", token: boss, body: bad)
            #expect(refused.status == 400)
            #expect((refused.object["errors"] as? [[String: Any]])?.first?["field"] as? String == "records[1].phone")
            #expect(try await c.call(.get, "/api/v1/records/customer?total=true", token: boss).object["total"] as? Int == 0)

            let good = #"{"records":[\#(customerJSON("丙公司", phone: "13900000011")),\#(customerJSON("丁公司", phone: "13900000012"))]}"#
            let made = try await c.call(.post, "/api/v1/records/customer/bulk", token: boss, body: good)
            #expect(made.status == 201 && made.data.count == 2)
            let ids = made.data.compactMap { $0["id"] as? Int }
            let update = #"{"records":[{"id":\#(ids[0]),"grade":"B"},{"id":\#(ids[1]),"grade":"C"}]}"#
            let updated = try await c.call(.patch, "/api/v1/records/customer/bulk", token: boss, body: update)
            #expect(updated.status == 200 && updated.data.map { $0["grade"] as? String } == ["B", "C"])
        }
    }

    @Test func schemaAndOpenAPIFollowTheLiveSchemaAndModules() async throws {
        let f = try ServerFixture(companyScript: #"crm.field("customer", "wechat_group", { type = "text", label = "微信群" })"#)
        let boss = f.tokens["boss"]!
        try await f.withClient { c in
            let schema = try await c.call(.get, "/api/v1/schema", token: boss)
            let entities = (schema.object["entities"] as? [[String: Any]]) ?? []
            let customer = try #require(entities.first { $0["name"] as? String == "customer" })
            #expect((customer["fields"] as? [[String: Any]])?.contains { $0["name"] as? String == "wechat_group" } == true)
            let opportunity = try #require(entities.first { $0["name"] as? String == "opportunity" })
            #expect((opportunity["pipelines"] as? [[String: Any]])?.isEmpty == false)

            let doc = try await c.call(.get, "/api/v1/openapi.json", token: boss)
            #expect(doc.object["openapi"] as? String == "3.1.0")
            let paths = doc.object["paths"] as? [String: Any] ?? [:]
            #expect(paths["/api/v1/records/opportunity/{id}"] != nil)
            let schemas = (doc.object["components"] as? [String: Any])?["schemas"] as? [String: Any]
            #expect(((schemas?["customer"] as? [String: Any])?["properties"] as? [String: Any])?["wechat_group"] != nil)

            // Action arguments from the summary's call; the modules' own routes, public ones without security.
            let merge = ((((paths["/api/v1/actions/customers/merge"] as? [String: Any])?["post"] as? [String: Any])?["requestBody"] as? [String: Any])
                .flatMap { (($0["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any] })
            let args = (merge?["properties"] as? [String: Any])?["args"] as? [String: Any]
            #expect(args?["maxItems"] as? Int == 2 && args?["minItems"] as? Int == 2)
            #expect((args?["prefixItems"] as? [[String: Any]])?.first?["type"] as? String == "integer")
            let capture = (paths["/public/marketing/leads/{form}"] as? [String: Any])?["post"] as? [String: Any]
            #expect((capture?["security"] as? [Any])?.isEmpty == true)
            #expect((capture?["responses"] as? [String: Any])?["429"] != nil)
            let tooMany = try await c.call(.post, "/api/v1/actions/customers/primary_contact", token: boss, body: #"{"args": [1, 2]}"#)
            #expect(tooMany.status == 400 && tooMany.text.contains("takes at most 1 argument (customer_id), got 2"), "\(tooMany.text)")

            #expect(try await c.call(.post, "/api/v1/modules/marketing/disable", token: boss).status == 200)  // depends on opportunities
            #expect(try await c.call(.post, "/api/v1/modules/payroll/disable", token: boss).status == 200)  // depends on finance
            #expect(try await c.call(.post, "/api/v1/modules/finance/disable", token: boss).status == 200)  // depends on orders
            #expect(try await c.call(.post, "/api/v1/modules/orders/disable", token: boss).status == 200)  // depends on opportunities
            let off = try await c.call(.post, "/api/v1/modules/opportunities/disable", token: boss)
            #expect(off.status == 200)
            #expect(try await c.call(.get, "/api/v1/records/opportunity", token: boss).status == 404)
            let after = try await c.call(.get, "/api/v1/openapi.json", token: boss)
            #expect((after.object["paths"] as? [String: Any])?["/api/v1/records/opportunity/{id}"] == nil)
            #expect((after.object["paths"] as? [String: Any])?["/public/marketing/leads/{form}"] == nil)
            #expect(try await c.call(.post, "/api/v1/modules/opportunities/enable", token: boss).status == 200)
            #expect(try await c.call(.get, "/api/v1/records/opportunity", token: boss).status == 200)
            #expect(try await c.call(.post, "/api/v1/modules/opportunities/disable", token: f.tokens["rep1"]!).status == 403)
        }
    }
}

struct GroupCommitTests {
    @Test func concurrentCreatesShareTransactionsAndARefusedOneUndoesOnlyItself() async throws {
        let f = try ServerFixture()
        let boss = f.tokens["boss"]!
        try await f.withClient { c in
            let statuses = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for i in 0..<40 {
                    group.addTask {
                        // Every fifth has a malformed phone; the rest are distinct, valid customers.
                        let phone = i % 5 == 0 ? "12345" : "1390000\(String(format: "%04d", i))"
                        let reply = try await c.call(.post, "/api/v1/records/customer", token: boss, body: customerJSON("并发客户\(i)号", phone: phone))
                        return (i, reply.status)
                    }
                }
                var out: [Int: Int] = [:]
                for try await (i, status) in group { out[i] = status }
                return out
            }
            #expect(statuses.filter { $0.key % 5 == 0 }.allSatisfy { $0.value == 400 })
            #expect(statuses.filter { $0.key % 5 != 0 }.allSatisfy { $0.value == 201 })
            #expect(try await c.call(.get, "/api/v1/records/customer?total=true&limit=1", token: boss).object["total"] as? Int == 32)
        }
        // One event per created customer reached the outbox; none for the refused ones.
        let events = try f.host.workspace.store.outbox(after: 0, limit: 1000).filter { $0.event == "customer.after_create" }
        #expect(events.count == 32)
        #expect(Set(events.compactMap(\.recordID)).count == 32)
    }

    /// The group commit answers a batch before it does the full-text merge work the batch made
    /// due, then merges in a transaction of its own before the next batch: the work is done,
    /// not left owed, and search finds every record.
    @Test func theGroupCommitMergesTheSearchIndexAfterAnsweringItsBatch() async throws {
        let f = try ServerFixture()
        let boss = f.tokens["boss"]!
        let store = f.host.workspace.store
        let mergedBefore = store.searchMergeNanoseconds
        try await f.withClient { c in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<60 {
                    group.addTask {
                        try await c.call(.post, "/api/v1/records/customer", token: boss,
                                         body: customerJSON("合并检索\(i)号", phone: "1370000\(String(format: "%04d", i))")).status
                    }
                }
                for try await status in group { #expect(status == 201) }
            }
            // The writer thread merges before it takes the next batch, so once this create is
            // answered the merges the 60 made due are done. Inline, they would wait for 320 rows.
            #expect(try await c.call(.post, "/api/v1/records/customer", token: boss, body: customerJSON("合并检索收尾", phone: "13700009999")).status == 201)
            #expect(store.searchMergeNanoseconds > mergedBefore)
            let found = try await c.call(.get, "/api/v1/records/customer?q=%E5%90%88%E5%B9%B6%E6%A3%80%E7%B4%A2&total=true&limit=1", token: boss)
            #expect(found.object["total"] as? Int == 61)
        }
    }

    /// A create refused after its hook had written (the hook makes a second customer, then the
    /// record misses a required field) takes that write with it, whatever batch it shared:
    /// the batch runs again with savepoints, and the others are kept once.
    @Test func aCreateRefusedAfterItsHookWroteUndoesOnlyItself() async throws {
        let f = try ServerFixture(companyScript: #"""
        crm.on("customer.before_save", function(r)
          if r.name and r.name:find("^留痕") then
            crm.create("customer", { name = "影子" .. r.name, phone = "1380" .. r.phone:sub(-7),
                                     industry = "制造业", source = "展会推荐" })
          end
        end)
        """#)
        let boss = f.tokens["boss"]!
        try await f.withClient { c in
            let statuses = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for i in 0..<30 {
                    group.addTask {
                        // Every third leaves out the required source, after its hook has written.
                        let phone = "1390001\(String(format: "%04d", i))"
                        let body = i % 3 == 0
                            ? #"{"name":"留痕\#(i)","phone":"\#(phone)","industry":"制造业"}"#
                            : customerJSON("留痕\(i)", phone: phone)
                        return (i, try await c.call(.post, "/api/v1/records/customer", token: boss, body: body).status)
                    }
                }
                var out: [Int: Int] = [:]
                for try await (i, status) in group { out[i] = status }
                return out
            }
            #expect(statuses.filter { $0.key % 3 == 0 }.allSatisfy { $0.value == 400 })
            #expect(statuses.filter { $0.key % 3 != 0 }.allSatisfy { $0.value == 201 })
        }
        let names = try f.host.workspace.store.find(Query("customer", limit: 1000)).records
            .compactMap { $0["name"].textValue }.filter { $0.contains("留痕") }
        let created = (0..<30).filter { $0 % 3 != 0 }
        #expect(names.sorted() == (created.map { "留痕\($0)" } + created.map { "影子留痕\($0)" }).sorted())
        let events = try f.host.workspace.store.outbox(after: 0, limit: 1000)
            .filter { $0.event == "customer.after_create" && $0.payload.contains("留痕") }
        #expect(events.count == 40)
    }
}
