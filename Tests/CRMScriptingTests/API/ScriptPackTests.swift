import CRMKernel
import CRMPlugins
@testable import CRMScripting
import Foundation
import Testing

/// Loading, checking and reloading script packs.
struct ScriptPackTests {
    @Test func stockPackLoadsAndValidatesPhones() throws {
        let f = try ScriptFixture(ScriptFixture.stockPack)
        defer { f.cleanUp() }
        _ = try f.host()
        let c = try f.workspace.store.create("customer", ScriptFixture.customer)
        #expect(c["phone"] == .text("13800138000"))
        let landline = try f.workspace.store.create("customer", ScriptFixture.customer.merging(["name": .text("广州恒远贸易有限公司"), "phone": .text("0755 8888 1234")]) { $1 })
        #expect(landline["phone"] == .text("0755-88881234"))
        #expect(throws: KernelError.self) {
            try f.workspace.store.create("customer", ScriptFixture.customer.merging(["phone": .text("12345")]) { $1 })
        }
        do {
            try f.workspace.store.create("customer", ScriptFixture.customer.merging(["phone": .text("12345")]) { $1 })
        } catch let e as KernelError {
            #expect(e.fieldErrors.map(\.field) == ["phone"])
            #expect(e.fieldErrors[0].message.contains("不是有效的手机号"))
        }
        #expect(try f.workspace.store.count("customer") == 2)
        let industry = try f.workspace.store.schema.entity("customer").field("industry")
        #expect(industry.options.map(\.value).contains("制造业"))
    }

    @Test func syntaxErrorsAreReportedWithFileAndLineAndEveryFileIsChecked() throws {
        let f = try ScriptFixture(["10_a.lua": "crm.field('customer', 'x', {type = 'text'})\nlocal = 3\n",
                                   "20_b.lua": "\n\ncrm.field('customer', 'y', {type = 'nosuch'})\n"])
        defer { f.cleanUp() }
        let problems = ScriptHost.check(f.workspace)
        #expect(problems.count == 2)
        #expect(problems[0].file == "scripts/10_a.lua" && problems[0].line == 2)
        #expect(problems[0].message.contains("syntax error"))
        #expect(problems[1].file == "scripts/20_b.lua" && problems[1].line == 3)
        #expect(problems[1].message.contains("unknown type 'nosuch'"))
        #expect(throws: ScriptPackError.self) { try f.host() }
    }

    @Test func unknownEntityInADeclarationNamesTheFileAndLine() throws {
        let f = try ScriptFixture(["10_a.lua": "-- comment\ncrm.field('nosuch', 'x', {type = 'text'})\n"])
        defer { f.cleanUp() }
        let problems = ScriptHost.check(f.workspace)
        #expect(problems.map(\.description) == ["scripts/10_a.lua:2: unknown entity 'nosuch'"])
    }

    @Test func badReloadKeepsTheLastGoodPack() throws {
        let f = try ScriptFixture(["10_a.lua": "crm.field('customer', 'wechat', {type = 'text', label = '微信'})"])
        defer { f.cleanUp() }
        let host = try f.host()
        #expect(try f.workspace.store.schema.entity("customer").fieldsByName["wechat"] != nil)
        try f.write("10_a.lua", "crm.field('customer', 'wechat', {type = 'text'})\ncrm.field('customer', 'qq', {type = 'bogus'})")
        #expect(throws: ScriptPackError.self) { try host.reload() }
        #expect(try f.workspace.store.schema.entity("customer").fieldsByName["wechat"] != nil)
        #expect(try f.workspace.store.schema.entity("customer").fieldsByName["qq"] == nil)
        try f.write("10_a.lua", "crm.field('customer', 'qq', {type = 'text'})")
        try host.reload()
        let customer = try f.workspace.store.schema.entity("customer")
        #expect(customer.fieldsByName["qq"] != nil && customer.fieldsByName["wechat"] == nil)
    }

    @Test func requireLoadsPackModulesOnly() throws {
        let f = try ScriptFixture(["lib/util.lua": "return { twice = function(x) return x * 2 end }",
                                   "10_a.lua": "local u = require('lib.util')\nassert(u.twice(21) == 42)\n"])
        defer { f.cleanUp() }
        _ = try f.host()
        try f.write("20_b.lua", "require('socket')")
        let problems = ScriptHost.check(f.workspace)
        #expect(problems.count == 1)
        #expect(problems[0].message.contains("module 'socket' not found in this script pack"))
    }

    @Test func dataFunctionsAreRefusedWhileThePackLoads() throws {
        let f = try ScriptFixture(["10_a.lua": "crm.create('team', {name = 'x'})"])
        defer { f.cleanUp() }
        let problems = ScriptHost.check(f.workspace)
        #expect(problems.first?.message.contains("cannot run while the script pack loads") == true)
        try f.write("10_a.lua", "-- fixed")
        _ = try f.host()
        #expect(try f.workspace.store.count("team") == 0)
    }

    @Test func infiniteLoopInAPackFileIsStoppedAndReported() throws {
        let f = try ScriptFixture(["10_a.lua": "while true do end"])
        defer { f.cleanUp() }
        let problems = ScriptHost.check(f.workspace)
        #expect(problems.first?.message.contains("instruction limit exceeded") == true)
        #expect(problems.first?.file == "scripts/10_a.lua")
    }

    @Test func declarationsForADisabledModuleLieDormant() throws {
        let f = try ScriptFixture(ScriptFixture.stockPack)
        defer { f.cleanUp() }
        let host = try f.host()
        try f.workspace.disable("marketing")  // depends on opportunities
        try f.workspace.disable("payroll")  // depends on finance
        try f.workspace.disable("finance")  // depends on orders
        try f.workspace.disable("orders")  // depends on opportunities
        try f.workspace.disable("opportunities")
        try host.reload()
        #expect(f.workspace.store.schema.entities["opportunity"] == nil)
        try f.workspace.enable("opportunities")
        try host.reload()
        let stage = try f.workspace.store.schema.entity("opportunity").field("stage")
        #expect(stage.options.first?.value == "初步接触")
    }

    @Test func aConsoleActingAsAUserStaysLimitedAfterAReload() throws {
        let f = try ScriptFixture(ScriptFixture.stockPack)
        defer { f.cleanUp() }
        let host = try f.host()
        let store = f.workspace.store
        try store.create("user", ["name": .text("lina"), "role": .text("sales_rep")])
        let wang = try store.create("user", ["name": .text("wang"), "role": .text("sales_rep")]).id
        try store.create("customer", ["name": .text("王的客户"), "phone": .text("13800000009"), "industry": .text("制造业"),
                                      "source": .text("展会推荐"), "owner": .integer(wang)])
        try host.engine.act(as: "lina")
        let console = Console(host: host) { _ in }
        #expect(console.evaluate("return crm.count('customer')").output == "0")
        #expect(console.evaluate(".reload").error == nil)
        #expect(console.evaluate(".user").output.hasPrefix("lina"))
        let after = console.evaluate("return crm.count('customer')")
        #expect(after.output == "0", "still lina's scope after the reload: \(after)")
    }
}

/// Closing a workspace: the pack's hooks hold its engine and the engine holds the workspace, so
/// without `close()` neither is ever freed (every benchmark section kept its page caches).
struct WorkspaceCloseTests {
    @Test func aClosedWorkspaceRefusesWritesKeepsReadsAndIsFreedWithItsEngine() throws {
        weak var store: RecordStore?
        weak var engine: ScriptEngine?
        let f = try ScriptFixture(ScriptFixture.stockPack)
        defer { f.cleanUp() }
        try {
            let workspace = try Workspace(directory: f.directory, registry: try BuiltInPlugins.registry(), create: false)
            let host = try ScriptHost(workspace: workspace)
            store = workspace.store
            engine = host.engine
            // The stock phone hook runs: the engine is in force.
            #expect(try workspace.store.create("customer", ScriptFixture.customer)["phone"] == .text("13800138000"))
            workspace.close()
            do {
                _ = try workspace.store.create("customer", ScriptFixture.customer.merging(["name": .text("关闭之后有限公司")]) { $1 })
                Issue.record("a write after close went through")
            } catch let error as KernelError {
                #expect(error.description.contains("is closed"), "\(error)")
            }
            #expect(try workspace.store.count("customer") == 1, "reads go on, and the refused write left nothing")
        }()
        #expect(store == nil, "the store (and its connections) is freed with the last reference")
        #expect(engine == nil, "the script engine is freed with it")
    }

    @Test(arguments: ["customers", "opportunities", "marketing", "products", "orders", "finance", "payroll", "service"])
    func aWorkspaceWithAModulesScriptsIsFreedOnceClosed(module: String) throws {
        weak var store: RecordStore?
        let f = try ScriptFixture()
        defer { f.cleanUp() }
        try {
            let workspace = try Workspace(directory: f.directory, registry: try BuiltInPlugins.registry(), create: false)
            _ = try workspace.installModuleScripts(["customers", module])
            let host = try ScriptHost(workspace: workspace)
            store = workspace.store
            _ = host
            workspace.close()
        }()
        #expect(store == nil, "the store (and its connections) is freed with the last reference")
    }
}
