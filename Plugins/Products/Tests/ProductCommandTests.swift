import CRMKernel
import CRMProducts
import Foundation
import Synchronization
import Testing

/// `crm products stock` and `crm products adjust`, run in-process as `crm` runs them, with the
/// acting user's access.
struct ProductCommandTests {
    final class Printed: Sendable {
        let lines = Mutex<[String]>([])
        var text: String { lines.withLock { $0.joined(separator: "\n") } }
        var output: CommandOutput { CommandOutput { line in self.lines.withLock { $0.append(line) } } }
    }

    func run(_ f: ProductsFixture, _ words: [String], as user: String = "boss") throws -> String {
        let printed = Printed()
        let acting = f.users[user]!
        let access = user == "boss" ? nil : try f.access(user)
        try ModuleCommandLine(registry: f.ws.registry).run(words, output: printed.output) { _ in
            ModuleCommandLine.Environment(workspace: f.ws, user: acting, access: access)
        }
        return printed.text
    }

    @Test func stockShowsEachWarehouseAndTheTotal() throws {
        let f = try ProductsFixture()
        try f.write { tx in
            try StockLedger.receive(tx, product: f.printer, warehouse: f.warehouses[0], quantity: 7)
            try StockLedger.reserve(tx, product: f.printer, warehouse: f.warehouses[0], quantity: 2, document: ("order", 1))
            try StockLedger.receive(tx, product: f.printer, warehouse: f.warehouses[1], quantity: 3)
        }
        let out = try run(f, ["products", "stock", "PR-1"], as: "lina")
        let rows = out.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.contains(["SZ", "深圳总仓", "7", "2", "5"]))
        #expect(rows.contains(["SH", "上海仓", "3", "0", "3"]))
        #expect(rows.contains(["合计", "10", "2", "8"]))
        #expect(kernelError { _ = try run(f, ["products", "stock", "NOPE"]) }?.kind == .notFound)
    }

    @Test func adjustNeedsAReasonAndTheRightToWriteStock() throws {
        let f = try ProductsFixture()
        let missing = kernelError { _ = try run(f, ["products", "adjust", "PR-1", "SZ", "5"]) }
        #expect(missing?.fieldErrors.first?.field == "note")
        let out = try run(f, ["products", "adjust", "PR-1", "SZ", "5", "--reason", "盘盈"])
        #expect(out.contains("盘点调整 5"))
        #expect(try f.level(f.printer).onHand == 5)
        let rep = kernelError { _ = try run(f, ["products", "adjust", "PR-1", "SZ", "1", "--reason", "盘盈"], as: "lina") }
        #expect(rep?.kind == .forbidden)
        let warehouse = kernelError { _ = try run(f, ["products", "adjust", "PR-1", "XX", "1", "--reason", "盘盈"]) }
        #expect(warehouse?.fieldErrors.first?.field == "warehouse")
        #expect(try f.level(f.printer).onHand == 5)
    }
}
