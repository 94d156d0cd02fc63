import CRMExamplePlugin
import CRMKernel
import CRMScripting
import Foundation
import Synchronization
import Testing

/// The example module (`Tests/ExamplePlugin`) brings everything from its own folder: each of its
/// contributions works once it is in the registry, through the same paths as the built-in ones.
struct ExamplePluginTests {
    @Test func itsEntityIsInTheSchemaAndItsLuaFunctionAnswers() throws {
        let f = try ExampleFixture()
        #expect(f.host.workspace.store.schema.entities["warranty_claim"]?.definition.origin == "warranty")
        let console = Console(host: f.host) { _ in }
        let answer = console.evaluate("crm.warranty.open_count()")
        #expect(answer.error == nil && answer.output == "2", "\(answer.error ?? "")")
    }

    /// Lines a command printed.
    final class Printed: Sendable {
        let lines = Mutex<[String]>([])
        var output: CommandOutput { CommandOutput { line in self.lines.withLock { $0.append(line) } } }
        var text: String { lines.withLock { $0.joined(separator: "\n") } }
    }

    @Test func itsCommandRunsThroughTheDispatcherCrmUses() throws {
        let f = try ExampleFixture()
        let line = ModuleCommandLine(registry: f.registry)
        #expect(line.handles(["warranty", "list"]))
        func run(_ words: [String]) throws -> String {
            let printed = Printed()
            try line.run(words, output: printed.output) { _ in
                ModuleCommandLine.Environment(workspace: f.host.workspace, user: .system, access: nil, owner: f.host)
            }
            return printed.text
        }
        let open = try run(["warranty", "list", "--status", "待处理"])
        #expect(open.contains("空压机 A1") && !open.contains("空压机 B2") && open.hasSuffix("1 claim(s)"))
        #expect(try run(["warranty", "list"]).hasSuffix("3 claim(s)"))
        #expect(try run(["warranty", "--help"]).contains("crm warranty list [--status STATUS]"))
        let bad = kernelError { _ = try run(["warranty", "list", "--status", "坏了"]) }
        #expect(bad?.message.contains("--status: expects one of 待处理, 处理中, 已关闭") == true)
    }

    @Test func itsDownloadRouteAnswersACSVFileToWhoMayReadClaims() async throws {
        let f = try ExampleFixture()
        try await f.withClient { client in
            let csv = try await client.call(.get, "/api/v1/modules/warranty/claims.csv", token: f.tokens["boss"])
            #expect(csv.status == 200)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.headers[.contentDisposition]?.contains("filename*=UTF-8''%E4%BF%9D%E4%BF%AE%E7%94%B3%E8%AF%B7.csv") == true)
            #expect(csv.text.hasPrefix("id,customer,product,status\r\n"))
            #expect(csv.text.contains(",\"冷干机, \"\"旧款\"\"\",已关闭\r\n"))
            // The module's grant gives reps the claims; a role it grants nothing is refused, and
            // nobody unsigned gets in.
            #expect(try await client.call(.get, "/api/v1/modules/warranty/claims.csv", token: f.tokens["rep"]).status == 200)
            #expect(try await client.call(.get, "/api/v1/modules/warranty/claims.csv", token: f.tokens["marketer"]).status == 403)
            #expect(try await client.call(.get, "/api/v1/modules/warranty/claims.csv", token: nil).status == 401)
            // Disabled, the module's routes are gone.
            #expect(try await client.call(.post, "/api/v1/modules/warranty/disable", token: f.tokens["boss"]).status == 200)
            #expect(try await client.call(.get, "/api/v1/modules/warranty/claims.csv", token: f.tokens["boss"]).status == 404)
            #expect(try await client.call(.get, "/public/warranty/statuses", token: nil).status == 404)
        }
    }

    @Test func itsGrantReachesTheStockRolesWithoutTouchingTheRolesFile() throws {
        let f = try ExampleFixture()
        let roles = f.host.workspace.store.schema.roles
        #expect(roles["sales_rep"]?.allows(.update, on: "warranty_claim") == true)
        #expect(roles["sales_rep"]?.allows(.delete, on: "warranty_claim") == false)
        #expect(roles["marketing_manager"]?.allows(.read, on: "warranty_claim") == false)
        let console = Console(host: f.host) { _ in }
        try f.host.engine.act(as: "rep")
        // The rep works her own claims (the module's grant, own scope): the three the system
        // filed are not hers, the one she files is.
        #expect(console.evaluate("return crm.warranty.open_count()").output == "0")
        let filed = console.evaluate("return crm.create('warranty_claim', {customer = \(f.customer), product = '空压机 C3', status = '待处理'}).id")
        #expect(filed.error == nil, "\(filed)")
        let answer = console.evaluate("return crm.warranty.open_count()")
        #expect(answer.error == nil && answer.output == "1", "\(answer)")
        #expect(console.evaluate("return crm.delete('warranty_claim', \(filed.output))").error?.contains("may not delete") == true)
    }

    @Test func itsConsumerKeepsTheCustomerNameInStepThroughTheOutbox() throws {
        let f = try ExampleFixture()
        let store = f.host.workspace.store
        let names = { try store.find(Query("warranty_claim", sort: [SortKey("id")])).records.map { $0["customer_name"] } }
        // Created claims got their copy from the consumer, right after their commit.
        #expect(try names() == Array(repeating: .text("甲公司"), count: 3))
        try store.update("customer", f.customer, ["name": .text("甲集团")])
        #expect(try names() == Array(repeating: .text("甲集团"), count: 3))
        let status = try store.consumerStatuses().first { $0.id == "warranty.customer_name" }
        #expect(status != nil && status?.lastError == nil)
    }

    @Test func itsDailyJobClosesStaleClaimsAndKeepsItsLastRun() throws {
        let f = try ExampleFixture()
        let ws = f.host.workspace
        let later = Date().addingTimeInterval(31 * 86_400)
        let results = try ws.runJobs(only: ["warranty.close_stale"], now: later)
        #expect(results.map(\.summary) == ["1 claim(s) closed"])
        let open = try ws.store.count("warranty_claim", filter: .eq("status", .text("处理中")))
        #expect(open == 0)
        // Its last run is kept: it is not due again until the next 02:00.
        #expect(try ws.runDueJobs(now: later).contains { $0.id == "warranty.close_stale" } == false)
    }

    @Test func itsPublicRouteNeedsNoSignInAndIsRateLimited() async throws {
        let f = try ExampleFixture()
        try await f.withClient { client in
            for _ in 0..<5 {
                let ok = try await client.call(.get, "/public/warranty/statuses", token: nil)
                #expect(ok.status == 200 && ok.text == #"{"data":["待处理","处理中","已关闭"]}"#)
            }
            let limited = try await client.call(.get, "/public/warranty/statuses", token: nil)
            #expect(limited.status == 429)
            #expect(limited.headers[.retryAfter] != nil)
        }
    }

    @Test func itsPageIsListedForWhoMayOpenItAndTheModuleListingShowsItsContributions() async throws {
        let f = try ExampleFixture()
        try await f.withClient { client in
            let boss = try await client.call(.get, "/api/v1/pages", token: f.tokens["boss"])
            #expect(boss.status == 200)
            let page = boss.data.first { $0["id"] as? String == "warranty.claims" }
            #expect(page?["path"] as? String == "/warranty/claims")
            #expect((page?["title"] as? [String: Any])?["zh"] as? String == "保修申请")
            #expect((page?["menu"] as? [String: Any])?["section"] as? String == "service")
            let ids = boss.data.compactMap { $0["id"] as? String }
            #expect(ids.firstIndex(of: "customers.customers")! < ids.firstIndex(of: "customers.pool")!)
            let rep = try await client.call(.get, "/api/v1/pages", token: f.tokens["rep"]).data.compactMap { $0["id"] as? String }
            #expect(rep.contains("customers.pool") && rep.contains("warranty.claims"))
            let marketer = try await client.call(.get, "/api/v1/pages", token: f.tokens["marketer"]).data.compactMap { $0["id"] as? String }
            #expect(!marketer.contains("warranty.claims"))
            let modules = try await client.call(.get, "/api/v1/modules", token: f.tokens["boss"]).data
            let warranty = modules.first { $0["id"] as? String == "warranty" }
            #expect(warranty?["commands"] as? [String] == ["crm warranty list"])
            #expect(warranty?["routes"] as? [String] == ["GET /api/v1/modules/warranty/claims.csv", "GET /public/warranty/statuses"])
            #expect(warranty?["pages"] as? [String] == ["warranty.claims"])
        }
    }
}

/// The error a throwing body raised, when it is a `KernelError`.
func kernelError(_ body: () throws -> Void) -> KernelError? {
    do { try body() } catch let error as KernelError { return error } catch { Issue.record("not a KernelError: \(error)") }
    return nil
}
