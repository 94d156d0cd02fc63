import CRMExamplePlugin
import CRMKernel
import CRMPlugins
import CRMScripting
import Foundation
import HummingbirdTesting
import NIOCore
import Testing

/// Lua policies: a module leaves a decision to the pack (`crm.policy`), Swift calls it in or out
/// of a transaction, a later file replaces or wraps it, and it may read but never write.
struct PolicyTests {
    /// The stock-style implementation: 12 months, 24 for compressors; it counts the claims the
    /// caller can see so tests can tell whose access its reads get.
    static let stock = """
    crm.policy("warranty.coverage", function(args)
      local months = 12
      if string.find(args.product or "", "空压机", 1, true) then months = 24 end
      return { months = months, visible_claims = crm.count("warranty_claim") }
    end)
    """

    @Test func aPackImplementsThePolicyAndLuaSwiftAndHTTPCallIt() async throws {
        let f = try ExampleFixture(files: ["80_warranty.lua": Self.stock])
        let console = Console(host: f.host, output: { _ in })
        let lua = console.evaluate("crm.warranty.coverage{product = '空压机 A1'}.months")
        #expect(lua.error == nil)
        #expect(lua.output.contains("24"))
        let inTx = try f.host.workspace.store.write(as: .system) { tx in try tx.policy("warranty.coverage", .table(["product": .value(.text("冷干机"))])) }
        #expect(inTx.fields?["months"] == .value(.integer(12)))
        let outside = try f.host.workspace.store.policy("warranty.coverage", .table([:]), as: .unrestricted)
        #expect(outside.fields?["visible_claims"] == .value(.integer(3)))
        let token = f.tokens["boss"]!
        try await f.withClient { client in
            let reply = try await client.execute(uri: "/api/v1/actions/warranty/coverage", method: .post,
                                                 headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                                                 body: ByteBuffer(string: #"{"args":[{"product":"空压机"}]}"#)) { r in
                Reply(status: Int(r.status.code), text: String(buffer: r.body), headers: r.headers)
            }
            #expect(reply.status == 200)
            #expect(reply.text.contains(#""months":24"#))
        }
    }

    @Test func theCallersAccessLimitsWhatThePolicyReads() throws {
        let f = try ExampleFixture(files: ["80_warranty.lua": Self.stock])
        let store = f.host.workspace.store
        let rep = try store.read { reader in
            let record = try #require(try reader.find(Query("user", filter: .eq("name", .text("rep")))).records.first)
            let user = ActingUser(id: record.id, name: "rep", role: "sales_rep")
            return try AccessGuard(user: user, schema: reader.schema, reader: reader)
        }
        let asRep = try store.policy("warranty.coverage", .table([:]), as: rep)
        #expect(asRep.fields?["visible_claims"] == .value(.integer(0)))
    }

    @Test func aLaterFileReplacesOrWrapsTheImplementation() throws {
        let wrap = """
        local stock = crm.policy("warranty.coverage")
        crm.policy("warranty.coverage", function(args)
          local r = stock(args)
          r.months = r.months + 6
          return r
        end)
        """
        let f = try ExampleFixture(files: ["80_warranty.lua": Self.stock, "90_company.lua": wrap])
        let r = try f.host.workspace.store.policy("warranty.coverage", .table(["product": .value(.text("空压机"))]), as: .unrestricted)
        #expect(r.fields?["months"] == .value(.integer(30)))
    }

    @Test func aPolicyMayNotWrite() throws {
        let writer = """
        crm.policy("warranty.coverage", function(args)
          crm.create("warranty_claim", { customer = 1, product = "x", status = "待处理" })
          return 1
        end)
        """
        let f = try ExampleFixture(files: ["80_warranty.lua": writer])
        let store = f.host.workspace.store
        let before = try store.read { try $0.count("warranty_claim", filter: nil) }
        let error = #expect(throws: KernelError.self) { try store.write(as: .system) { tx in try tx.policy("warranty.coverage", .table([:])) } }
        #expect(error?.kind == .scriptFailed)
        #expect(error?.message.contains("may read records but not write") == true)
        #expect(error?.message.contains("80_warranty.lua:2") == true)
        #expect(try store.read { try $0.count("warranty_claim", filter: nil) } == before)
    }

    @Test func missingAndFailingImplementationsAreClearErrors() throws {
        let none = try ExampleFixture(files: [:])
        let missing = #expect(throws: KernelError.self) { try none.host.workspace.store.policy("warranty.coverage", .table([:]), as: .unrestricted) }
        #expect(missing?.message.contains("no Lua implementation of policy warranty.coverage") == true)

        let failing = try ExampleFixture(files: ["80_warranty.lua": "crm.policy(\"warranty.coverage\", function(args)\n  return args.product .. 1\nend)"])
        let error = #expect(throws: KernelError.self) { try failing.host.workspace.store.policy("warranty.coverage", .table([:]), as: .unrestricted) }
        #expect(error?.kind == .scriptFailed)
        #expect(error?.message.contains("80_warranty.lua:2") == true)
    }

    @Test func anUnknownPolicyNameIsALoadErrorWithItsLine() throws {
        let error = #expect(throws: (any Error).self) { try ExampleFixture(files: ["80_warranty.lua": "\ncrm.policy(\"warranty.nope\", function() end)"]) }
        let text = "\(error.map { "\($0)" } ?? "")"
        #expect(text.contains("80_warranty.lua:2"))
        #expect(text.contains("unknown policy 'warranty.nope'"))
        #expect(text.contains("warranty.coverage"))
    }
}
