import CRMKernel
@testable import CRMScripting
import Foundation
import Testing

/// `crm.messages.send`, `list` and `retry`: messages queued from Lua in the current transaction.
struct MessageScriptTests {
    @Test func aHookQueuesAMessageInTheSaveTransactionAndTheConsoleListsIt() throws {
        let f = try ScriptFixture(ScriptFixture.stockPack)
        defer { f.cleanUp() }
        try f.write("90_welcome.lua", """
            crm.on("customer.after_create", function(c)
              crm.messages.send{channel = "email", to = "owner@example.com", subject = "新客户：" .. c.name,
                                body = "已创建客户 " .. c.name, record = {entity = "customer", id = c.id}, key = "welcome:" .. c.id}
            end)
            """)
        let (console, _) = try f.console()
        let store = f.workspace.store
        let customer = try store.create("customer", ["name": .text("华东机械"), "phone": .text("13800138000"),
                                                      "industry": .text("信息技术"), "source": .text("展会推荐")])
        let queued = try store.find(Query("message")).records
        #expect(queued.count == 1)
        #expect(queued.first?["subject"] == .text("新客户：华东机械"))
        #expect(queued.first?["record_id"] == .integer(customer.id))
        #expect(queued.first?["status"] == .text("待发送"))
        #expect(console.evaluate("#crm.messages.list{status = \"待发送\"}").output == "1")
        #expect(console.evaluate("crm.messages.send{channel = \"sms\", to = \"138-0013-8000\", body = \"您好\"}").output == "2")
        #expect(console.evaluate("crm.messages.send{channel = \"sms\", to = \"138-0013-8000\", body = \"您好\", key = \"k\"}").output == "3")
        #expect(console.evaluate("crm.messages.send{channel = \"sms\", to = \"138-0013-8000\", body = \"again\", key = \"k\"}").output == "nil")
    }

    @Test func badCallsAreRefusedNamingWhatIsWrongAndWriteNothing() throws {
        let f = try ScriptFixture(ScriptFixture.stockPack)
        defer { f.cleanUp() }
        let (console, _) = try f.console()
        #expect(console.evaluate("crm.messages.send{channel = \"fax\", to = \"x\", body = \"b\"}").error?.contains("channel must be") == true)
        #expect(console.evaluate("crm.messages.send{channel = \"email\", to = \"x@example.com\", body = \"b\", cc = \"y\"}").error?.contains("unknown key 'cc'") == true)
        #expect(console.evaluate("crm.messages.send{channel = \"email\", to = \"nobody\", subject = \"s\", body = \"b\"}").error?.contains("to") == true)
        #expect(console.evaluate("crm.messages.send{channel = \"email\", to = \"a@example.com\", body = \"b\"}").error?.contains("subject") == true)
        #expect(console.evaluate("crm.messages.list{status = \"done\"}").error?.contains("status must be") == true)
        #expect(try f.workspace.store.count("message") == 0)
    }

    @Test func aSalesRepMayNotSendFromTheConsole() throws {
        let f = try ScriptFixture(ScriptFixture.stockPack)
        defer { f.cleanUp() }
        let host = try f.host()
        try f.workspace.store.create("user", ["name": .text("lina"), "role": .text("sales_rep")])
        try host.engine.act(as: "lina")
        let console = Console(host: host) { _ in }
        let result = console.evaluate("crm.messages.send{channel = \"sms\", to = \"13800138000\", body = \"hi\"}")
        #expect(result.error != nil)
        #expect(try f.workspace.store.count("message") == 0)
    }
}
