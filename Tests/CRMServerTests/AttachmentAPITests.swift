import CRMKernel
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Follow-up attachments over HTTP: the customers module's upload and download routes, and the
/// `customers.attach` action (which always failed over HTTP: no workspace folder was passed).
struct AttachmentAPITests {
    /// A customer and follow-up of rep1's; returns the follow-up's id.
    func followupOfRep1(_ f: ServerFixture) throws -> Int64 {
        try f.host.workspace.store.write(as: .system) { tx in
            let customer = try tx.create("customer", ["name": .text("甲公司"), "phone": .text("13800000001"), "industry": .text("制造业"),
                                                      "source": .text("展会推荐"), "owner": .integer(f.ids["rep1"]!)])
            return try tx.create("followup", ["customer": .integer(customer.id), "type": .text("电话"), "content": .text("报价"),
                                              "owner": .integer(f.ids["rep1"]!)]).id
        }
    }

    func upload(_ client: any TestClientProtocol, _ uri: String, token: String?, body: ByteBuffer, contentType: String) async throws -> Reply {
        var headers: HTTPFields = [.contentType: contentType]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: body) { r in
            Reply(status: Int(r.status.code), text: String(buffer: r.body), headers: r.headers)
        }
    }

    @Test func aRepUploadsAFileToHerFollowupAndDownloadsItBack() async throws {
        let f = try ServerFixture()
        let followup = try followupOfRep1(f)
        try await f.withClient { client in
            let name = "报价单.txt".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
            let raw = try await upload(client, "/api/v1/modules/customers/followups/\(followup)/attachments?name=\(name)", token: f.tokens["rep1"],
                                       body: ByteBuffer(string: "报价：每台 1200 元"), contentType: "application/octet-stream")
            #expect(raw.status == 201, "\(raw.text)")
            let record = raw.object["data"] as? [String: Any]
            #expect(record?["name"] as? String == "报价单.txt" && record?["size"] as? Int == "报价：每台 1200 元".utf8.count)
            let id = try #require(record?["id"] as? Int)
            let download = try await client.call(.get, "/api/v1/modules/customers/attachments/\(id)", token: f.tokens["rep1"])
            #expect(download.status == 200 && download.text == "报价：每台 1200 元")
            #expect(download.headers[.contentType] == "text/plain; charset=utf-8")
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment; filename=") == true)
            #expect(download.headers[.contentDisposition]?.contains("%E6%8A%A5%E4%BB%B7%E5%8D%95.txt") == true)
            // Another team's rep neither sees the follow-up nor its file: both are 404, as if missing.
            #expect(try await client.call(.get, "/api/v1/modules/customers/attachments/\(id)", token: f.tokens["rep3"]).status == 404)
            let foreign = try await upload(client, "/api/v1/modules/customers/followups/\(followup)/attachments?name=x.txt", token: f.tokens["rep3"],
                                           body: ByteBuffer(string: "x"), contentType: "text/plain")
            #expect(foreign.status == 404)
            #expect(try await client.call(.get, "/api/v1/modules/customers/attachments/\(id)", token: nil).status == 401)
            #expect(try await client.call(.get, "/api/v1/modules/customers/attachments/999999", token: f.tokens["boss"]).status == 404)
        }
        #expect(FileManager.default.fileExists(atPath: f.dir.appendingPathComponent("files/followup/\(followup)/报价单.txt").path))
        #expect(!FileManager.default.fileExists(atPath: f.dir.appendingPathComponent("files/followup/\(followup)/x.txt").path))
    }

    @Test func aMultipartUploadKeepsTheFilePartUnderItsName() async throws {
        let f = try ServerFixture()
        let followup = try followupOfRep1(f)
        try await f.withClient { client in
            let body = "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n合同扫描件\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"合同.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 内容\r\n--XyZ--\r\n"
            let reply = try await upload(client, "/api/v1/modules/customers/followups/\(followup)/attachments", token: f.tokens["rep1"],
                                         body: ByteBuffer(string: body), contentType: "multipart/form-data; boundary=XyZ")
            #expect(reply.status == 201, "\(reply.text)")
            let id = try #require((reply.object["data"] as? [String: Any])?["id"] as? Int)
            let download = try await client.call(.get, "/api/v1/modules/customers/attachments/\(id)", token: f.tokens["mgr"])
            #expect(download.status == 200 && download.text == "%PDF-1.4 内容" && download.headers[.contentType] == "application/pdf")
            let broken = try await upload(client, "/api/v1/modules/customers/followups/\(followup)/attachments", token: f.tokens["rep1"],
                                          body: ByteBuffer(string: "no parts"), contentType: "multipart/form-data; boundary=XyZ")
            #expect(broken.status == 400)
        }
    }

    @Test func theAttachActionWorksOverHTTPNow() async throws {
        let f = try ServerFixture()
        let followup = try followupOfRep1(f)
        try await f.withClient { client in
            let reply = try await client.call(.post, "/api/v1/actions/customers/attach", token: f.tokens["rep1"],
                                              body: #"{"args": [\#(followup), "纪要.txt", "会议纪要"]}"#)
            #expect(reply.status == 200, "\(reply.text)")
            #expect((reply.object["result"] as? [String: Any])?["name"] as? String == "纪要.txt")
        }
        let stored = f.dir.appendingPathComponent("files/followup/\(followup)/纪要.txt")
        #expect(FileManager.default.contents(atPath: stored.path) == Data("会议纪要".utf8))
    }
}
