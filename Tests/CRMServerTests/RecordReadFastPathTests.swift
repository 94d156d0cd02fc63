import CRMKernel
import CRMServer
import Foundation
import Testing

/// `GET /api/v1/records/{entity}/{id}` writes the row straight to JSON (`RecordStore.json`):
/// its body must be byte for byte what `JSONWriter.record` writes for the decoded record, with
/// the same ETag, hidden fields and scope.
struct RecordReadFastPathTests {
    static let script = """
    crm.field("customer", "deal_size", { type = "money", label = "金额" })
    crm.field("customer", "ratio", { type = "decimal", label = "比例", scale = 4 })
    crm.field("customer", "seats", { type = "integer", label = "席位" })
    crm.field("customer", "vip", { type = "boolean", label = "贵宾" })
    crm.field("customer", "signed_on", { type = "date", label = "签约日" })
    crm.field("customer", "met_at", { type = "datetime", label = "见面时间" })
    crm.field("customer", "channels", { type = "multi_choice", label = "渠道", options = { "微信", "电话", "邮件" } })
    crm.field("customer", "memo", { type = "long_text", label = "备注" })
    crm.field("customer", "mail", { type = "email", label = "邮箱" })
    crm.field("customer", "site", { type = "url", label = "网址" })
    crm.field("customer", "referrer", { type = "reference", target = "customer", label = "介绍人" })
    crm.field("customer", "cost_note", { type = "text", label = "成本备注" })
    crm.role("sales_rep", {
      label = "销售专员", scope = "own",
      grants = { customer = { "read", "create", "update" } },
      hidden = { customer = { "cost_note" } },
    })
    """

    @Test func getByIdSendsTheBytesTheDecodedRecordWouldGive() async throws {
        let f = try ServerFixture(companyScript: Self.script)
        let (boss, rep1, rep2) = (f.tokens["boss"]!, f.tokens["rep1"]!, f.tokens["rep2"]!)
        let store = f.host.workspace.store
        try await f.withClient { c in
            let bodies = [
                customerJSON("深圳\\\"前海\\\"\\\\科技有限公司", phone: "139 1234 5678", extra: #"""
                ,"deal_size":"1234567.80","ratio":"0.0625","seats":-12,"vip":true,"signed_on":"2026-03-01",
                "met_at":"2026-11-22T08:30:00+08:00","channels":["微信","邮件"],"tags":["重点","含\"引号\"","反\\斜杠","换\n行\t制表"],
                "memo":"第一行\n第二行\r\n\"引\"\\","mail":"a@example.cn","site":"https://example.cn/?q=1&r=\"2\"","cost_note":"底价八折","city":"深圳"
                """#),
                customerJSON("空值客户", phone: "13800000001", extra: #","deal_size":"0","vip":false,"channels":[],"tags":[]"#),
                customerJSON("小数客户", phone: "13800000002", extra: #","deal_size":"-0.05","ratio":"12","seats":0"#),
            ]
            var ids: [Int] = []
            for body in bodies {
                // Made by the administrator (the rep may not write cost_note) for the rep.
                let owned = String(body.dropLast()) + ",\"owner\":\(f.ids["rep1"]!)}"
                let made = try await c.call(.post, "/api/v1/records/customer", token: boss, body: owned)
                #expect(made.status == 201, "\(made.text)")
                ids.append(try #require(made.object["id"] as? Int))
            }
            let patched = try await c.call(.patch, "/api/v1/records/customer/\(ids[1])", token: boss, body: #"{"referrer":\#(ids[0]),"grade":"A"}"#)
            #expect(patched.status == 200)
            for (name, token) in [("boss", boss), ("rep1", rep1)] {
                let access = try f.server.principal(token: token).access
                for id in ids {
                    let got = try await c.call(.get, "/api/v1/records/customer/\(id)", token: token)
                    #expect(got.status == 200)
                    let record = try #require(try store.get("customer", Int64(id), as: access))
                    var w = JSONWriter()
                    w.record(record, try store.schema.entity("customer"), hidden: access.hiddenFields("customer"))
                    #expect(got.text == w.text, "\(name) \(id)")
                    guard case .integer(let version) = record["version"] else { Issue.record("no version"); continue }
                    #expect(got.headers[.eTag] == "\"\(version)\"")
                    #expect(got.headers[.contentType] == "application/json; charset=utf-8")
                }
            }
            let first = try await c.call(.get, "/api/v1/records/customer/\(ids[0])", token: boss)
            #expect(first.text.contains(#""deal_size":"1234567.8""#) && first.text.contains(#""met_at":"2026-11-22T00:30:00Z""#))
            #expect(first.text.contains("底价八折"))
            // Hidden fields, scope and unknown ids as before.
            #expect(!(try await c.call(.get, "/api/v1/records/customer/\(ids[0])", token: rep1)).text.contains("cost_note"))
            #expect(try await c.call(.get, "/api/v1/records/customer/\(ids[0])", token: rep2).status == 404)
            #expect(try await c.call(.get, "/api/v1/records/customer/999999", token: boss).status == 404)
            #expect(try await c.call(.get, "/api/v1/records/customer/abc", token: boss).status == 404)
            #expect(try await c.call(.get, "/api/v1/records/nothing/1", token: boss).status == 404)
            #expect(try await c.call(.get, "/api/v1/records/webhook/1", token: rep1).status == 403)
        }
    }
}
