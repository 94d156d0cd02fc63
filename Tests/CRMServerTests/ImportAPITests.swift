import CRMDataTransfer
import CRMKernel
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `/api/v1/imports`: upload, preview (a dry run as the caller), commit; the records API's access.
struct ImportAPITests {
    static let script = """
    crm.field("customer", "cost_note", { type = "text", label = "成本备注" })
    crm.role("sales_rep", {
      label = "销售专员", scope = "own",
      grants = { customer = { "read", "create", "update" } },
      hidden = { customer = { "cost_note" } },
    })
    """

    @Test func uploadPreviewsRowByRowThenCommitWrites() async throws {
        let f = try ServerFixture(companyScript: Self.script)
        let rep1 = f.tokens["rep1"]!
        let workbook = f.dir.appendingPathComponent("upload.xlsx")
        let writer = try XLSXWriter(url: workbook)
        try writer.addHeader(["客户名称", "联系方式", "所属行业", "客户来源"])
        try writer.addRow([.text("甲公司"), .number("13800000001"), .text("制造业"), .text("展会推荐")])
        try writer.addRow([.text("乙公司"), .text("bad phone"), .text("制造业"), .text("展会推荐")])
        try writer.finish()
        let bytes = try Data(contentsOf: workbook)
        try await f.withClient { c in
            func upload(_ query: String, _ data: Data, token: String?) async throws -> Reply {
                var headers: HTTPFields = [.contentType: "application/octet-stream"]
                if let token { headers[.authorization] = "Bearer \(token)" }
                return try await c.execute(uri: "/api/v1/imports?\(query)", method: .post, headers: headers, body: ByteBuffer(bytes: data)) { r in
                    Reply(status: Int(r.status.code), text: String(buffer: r.body), headers: r.headers)
                }
            }
            #expect(try await upload("entity=customer&format=xlsx", bytes, token: nil).status == 401)
            let preview = try await upload("entity=customer&format=xlsx&on_duplicate=skip", bytes, token: rep1)
            #expect(preview.status == 201, "\(preview.text)")
            let id = try #require(preview.object["id"] as? String)
            #expect(preview.object["dry_run"] as? Bool == true)
            let rows = preview.object["rows"] as? [[String: Any]] ?? []
            #expect(rows.count == 2)
            #expect(rows.first?["action"] as? String == "created")
            #expect(rows.last?["action"] as? String == "refused" && rows.last?["column"] as? String == "联系方式")
            #expect(try await c.call(.get, "/api/v1/records/customer", token: rep1).data.isEmpty, "a preview writes nothing")
            // Only the uploader commits it.
            #expect(try await c.call(.post, "/api/v1/imports/\(id)/commit", token: f.tokens["rep2"]!).status == 404)
            let commit = try await c.call(.post, "/api/v1/imports/\(id)/commit", token: rep1)
            #expect(commit.status == 200, "\(commit.text)")
            #expect((commit.object["counts"] as? [String: Any])?["created"] as? Int == 1)
            let list = try await c.call(.get, "/api/v1/records/customer", token: rep1).data
            #expect(list.count == 1 && list.first?["name"] as? String == "甲公司")
            #expect(try await c.call(.post, "/api/v1/imports/\(id)/commit", token: rep1).status == 404, "committed once")

            // A column mapped to a field hidden from the importer is refused before anything runs.
            let hidden = Data("name,phone,industry,source,cost_note\n丙公司,13800000003,制造业,展会推荐,底价\n".utf8)
            let refused = try await upload("entity=customer&format=csv", hidden, token: rep1)
            #expect(refused.status == 403, "\(refused.text)")
            #expect(refused.text.contains("cost_note"))
        }
    }
}
