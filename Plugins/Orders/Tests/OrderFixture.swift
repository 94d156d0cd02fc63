import CRMKernel
import CRMModuleTestSupport
@testable import CRMOrders
import CRMPlugins
import CRMScripting
import CRMServer
import Foundation
import Hummingbird
import HummingbirdTesting

/// A workspace with the built-in modules, the stock pack and the modules' scripts (so the
/// order statuses come from `40_orders.lua`), a 销售经理 heading a team with a 销售专员, an
/// administrator and a customer.
final class OrderFixture: @unchecked Sendable {
    let dir: URL
    let host: ScriptHost
    var tokens: [String: String] = [:]
    var customer: Int64 = 0
    var rep = ActingUser(id: nil, name: "rep", role: "sales_rep")
    var manager = ActingUser(id: nil, name: "boss_zhang", role: "sales_manager")

    static var stockPack: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../scripts/stock").standardizedFileURL
    }

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("crm-orders-\(UUID().uuidString)")
        let ws = try Workspace(directory: dir, registry: try BuiltInPlugins.registry(), create: true, configure: false)
        try Workspace.copyScripts(from: Self.stockPack, into: ws.scriptsDirectory)
        try ws.installModuleScripts()
        host = try ScriptHost(workspace: ws)
        try ws.store.write(as: .system) { tx in
            _ = try tx.create("user", ["name": .text("admin"), "role": .text("admin")])
            let m = try tx.create("user", ["name": .text("boss_zhang"), "role": .text("sales_manager")]).id
            let team = try tx.create("team", ["name": .text("华南销售部"), "manager": .integer(m)]).id
            _ = try tx.update("user", m, ["team": .integer(team)])
            let r = try tx.create("user", ["name": .text("rep"), "role": .text("sales_rep"), "team": .integer(team)]).id
            rep.id = r
            manager.id = m
            customer = try tx.create("customer", ["name": .text("深圳华信科技有限公司"), "phone": .text("13800138000"), "industry": .text("信息技术"),
                                                  "source": .text("展会推荐"), "owner": .integer(r)]).id
        }
        let accounts = Accounts(store: ws.store)
        for name in ["admin", "boss_zhang", "rep"] {
            tokens[name] = try accounts.createToken(for: name, label: "test", expiresAt: try TokenLifetime.expiry(days: nil, field: "days"), by: .system).token
        }
    }

    deinit {
        // Closed first: its scripts' hooks hold it, which would keep its connections open on the files removed here.
        host.workspace.close()
        try? FileManager.default.removeItem(at: dir)
    }

    var store: RecordStore { host.workspace.store }

    /// The rep's guard.
    func access(_ user: ActingUser) throws -> AccessGuard { try store.read { try AccessGuard(user: user, schema: $0.schema, reader: $0) } }

    /// Writes as `user` under their access.
    func write<T>(as user: ActingUser, _ body: (WriteContext) throws -> T) throws -> T {
        try store.write(as: user, access: try access(user), body)
    }

    /// A draft order of the rep with service lines.
    func draft(_ lines: [[String: Value]] = [line()], discount: Decimal? = nil) throws -> Record {
        var header: [String: Value] = ["customer": .integer(customer), "title": .text("测试合同")]
        if let discount { header["order_discount"] = .decimal(discount) }
        return try write(as: rep) { try OrderService.save($0, entity: "order", id: nil, header: header, lines: lines) }
    }

    /// A free-text service line.
    static func line(_ description: String = "实施服务", quantity: Decimal = 2, price: Decimal = 1000, discount: Decimal = 0,
                     tax: Decimal = 6, cost: Decimal = 600) -> [String: Value] {
        ["description": .text(description), "quantity": .decimal(quantity), "sales_price": .decimal(price), "discount": .decimal(discount),
         "tax_rate": .decimal(tax), "unit_cost": .decimal(cost)]
    }

    /// Reads a record as the system.
    func get(_ entity: String, _ id: Int64) throws -> Record { try require_(store.get(entity, id)) }

    /// Runs `body` with a test client of the API router.
    func withClient(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await withAPITestClient(host, body)
    }
}

/// The value, or a thrown error when nil.
func require_<T>(_ value: T?) throws -> T {
    guard let value else { throw KernelError(.notFound, "expected a value") }
    return value
}

/// The `KernelError` a throwing body raised.
func kernelError(_ body: () throws -> Void) -> KernelError? {
    do { try body(); return nil } catch let e as KernelError { return e } catch { return nil }
}
