import CRMKernel
import CRMPlugins
import CRMProducts
import CRMScripting
import Foundation

/// A workspace with the built-in modules and their stock scripts loaded, users of four roles,
/// two warehouses, a grade-A and a grade-C customer, and a few products.
final class ProductsFixture: @unchecked Sendable {
    let directory: URL
    let ws: Workspace
    let host: ScriptHost
    var users: [String: ActingUser] = [:]
    var warehouses: [Int64] = []
    var vipCustomer: Int64 = 0
    var plainCustomer: Int64 = 0
    var printer: Int64 = 0
    var paper: Int64 = 0
    var cable: Int64 = 0
    var service: Int64 = 0

    static var stockPack: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../scripts/stock").standardizedFileURL
    }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("crm-products-\(UUID().uuidString)")
        ws = try Workspace(directory: directory, registry: try BuiltInPlugins.registry(), create: true, configure: false)
        try Workspace.copyScripts(from: Self.stockPack, into: ws.scriptsDirectory)
        try ws.installModuleScripts()
        host = try ScriptHost(workspace: ws)
        try ws.store.write(as: .system) { tx in
            for (name, role) in [("boss", "admin"), ("lina", "sales_rep"), ("zhang", "sales_manager"), ("qian", "finance")] {
                let id = try tx.create("user", ["name": .text(name), "role": .text(role)]).id
                users[name] = ActingUser(id: id, name: name, role: role)
            }
            warehouses = [try tx.create("warehouse", ["code": .text("SZ"), "name": .text("深圳总仓")]).id,
                          try tx.create("warehouse", ["code": .text("SH"), "name": .text("上海仓")]).id]
            vipCustomer = try tx.create("customer", ["name": .text("甲公司"), "phone": .text("13800000001"), "industry": .text("制造业"),
                                                     "source": .text("展会推荐"), "grade": .text("A"), "owner": .integer(users["lina"]!.id!)]).id
            plainCustomer = try tx.create("customer", ["name": .text("乙公司"), "phone": .text("13800000002"), "industry": .text("制造业"),
                                                       "source": .text("展会推荐"), "grade": .text("C"), "owner": .integer(users["lina"]!.id!)]).id
            printer = try product(tx, "PR-1", "激光打印机", price: 100, cost: 70)
            paper = try product(tx, "PP-1", "复印纸", price: 12.5, cost: 9)
            cable = try product(tx, "CB-1", "网线", price: 2, cost: 1, extra: ["unit": .text("米"), "decimal_quantity": .bool(true)])
            service = try product(tx, "SV-1", "安装服务", price: 300, cost: 100, extra: ["kind": .text(ProductKind.service), "tax_rate": .text("6")])
        }
    }

    deinit {
        // Closed first: its scripts' hooks hold it, which would keep its connections open on the files removed here.
        ws.close()
        try? FileManager.default.removeItem(at: directory)
    }

    var store: RecordStore { ws.store }

    /// Creates a product.
    func product(_ tx: WriteContext, _ code: String, _ name: String, price: Decimal, cost: Decimal, extra: [String: Value] = [:]) throws -> Int64 {
        try tx.create("product", ["code": .text(code), "name": .text(name), "list_price": .decimal(price), "cost_price": .decimal(cost)]
            .merging(extra) { $1 }).id
    }

    /// The access guard of user `name`.
    func access(_ name: String) throws -> AccessGuard { try store.read { try AccessGuard(user: users[name]!, schema: $0.schema, reader: $0) } }

    /// Writes as the administrator.
    func write<T>(_ body: (WriteContext) throws -> T) throws -> T { try store.write(as: users["boss"]!, body) }

    /// Stock of `product` (in `warehouse`, or all).
    func level(_ product: Int64, _ warehouse: Int64? = nil) throws -> StockLevel {
        try store.read { try StockLedger.available($0, product: product, warehouse: warehouse) }
    }

    /// Number of stock moves.
    func moveCount() throws -> Int { try store.read { try $0.count("stock_move") } }

    /// A console acting as `user` (the administrator when nil).
    func console(as user: String? = nil) throws -> Console {
        if let user { try host.engine.act(as: user) }
        return Console(host: host) { _ in }
    }
}

/// The `KernelError` a throwing body raised.
func kernelError(_ body: () throws -> Void) -> KernelError? {
    do { try body(); return nil } catch let e as KernelError { return e } catch { return nil }
}
