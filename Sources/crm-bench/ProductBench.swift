import CRMKernel
import CRMProducts
import Foundation

/// Products at scale: a catalog of `count` products with two warehouses of stock (every product
/// received in both, one in ten reserved and partly taken, and 100 sampled products with a long
/// history of 50 moves: every hundredth, at least every tenth), then the available stock of one
/// product (all warehouses and one; 1,000 random products, so the p99 is not the single slowest
/// read) and a 50-line order priced through the stock Lua policy `products.price` in one transaction.
enum ProductBench {
    struct Results: Codable {
        var products: Int
        var moves: Int
        var loadRowsPerSecond: Double
        /// Available stock of one product over all warehouses.
        var availableAll: Latency
        /// Available stock of one product in one warehouse.
        var availableOne: Latency
        /// Pricing 50 lines through the Lua policy.
        var price50Lines: Latency
        /// Collecting the price facts of the same 50 lines in Swift alone (the policy's reads).
        var facts50Lines: Latency
    }

    static func measure(_ dir: URL, count: Int, iterations: Int, progress: (String) -> Void) throws -> Results {
        let host = try KernelBench.open(dir, scripts: true)
        defer { host.workspace.close() }  // frees its connections and Lua state when the section ends
        let store = host.workspace.store
        var warehouses: [Int64] = [], customers: [Int64] = []
        try store.write(as: .system) { tx in
            warehouses = [try tx.create("warehouse", ["code": .text("W1"), "name": .text("一号仓")]).id,
                          try tx.create("warehouse", ["code": .text("W2"), "name": .text("二号仓")]).id]
            for (i, grade) in ["A", "B", "C"].enumerated() {
                customers.append(try tx.create("customer", ["name": .text("定价客户\(i)"), "phone": .text("1380000100\(i)"), "industry": .text("制造业"),
                                                            "source": .text("展会推荐"), "grade": .text(grade)]).id)
            }
        }
        progress("products: loading \(count) products and their stock")
        let start = DispatchTime.now().uptimeNanoseconds
        for chunk in stride(from: 0, to: count, by: 10_000) {
            let rows: [[String: Value]] = (chunk..<min(chunk + 10_000, count)).map { i in product(i) }
            try require(store.bulkCreate("product", rows, options: BulkOptions(batchSize: 2000)), rows.count, "products")
        }
        let ids = try KernelBench.ids(store, "product", limit: count)
        var moves = 0
        for chunk in stride(from: 0, to: ids.count, by: 10_000) {
            var rows: [[String: Value]] = []
            for (k, product) in ids[chunk..<min(chunk + 10_000, ids.count)].enumerated() {
                let i = chunk + k
                for warehouse in warehouses {
                    rows.append(move(product, warehouse, 100 + Decimal(i % 50), "入库"))
                }
                if i % 10 == 0 {
                    rows.append(move(product, warehouses[0], 5, "预留", document: Int64(i)))
                    rows.append(move(product, warehouses[0], -2, "释放", document: Int64(i)))
                    rows.append(move(product, warehouses[0], -2, "出库", document: Int64(i)))
                }
                if i % max(10, ids.count / 100) == 0 {
                    for n in 0..<25 {
                        rows.append(move(product, warehouses[n % 2], 3, "入库"))
                        rows.append(move(product, warehouses[n % 2], -1, "出库"))
                    }
                }
            }
            try require(store.bulkCreate("stock_move", rows, options: BulkOptions(batchSize: 2000)), rows.count, "stock moves")
            moves += rows.count
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        try store.write(as: .system) { tx in try books(tx, products: Array(ids.prefix(500))) }

        progress("products: timing available stock and 50-line pricing, \(iterations) iterations")
        var all: [Double] = [], one: [Double] = [], priced: [Double] = [], facts: [Double] = []
        var random = SeededRandom(seed: 5)
        for _ in 0..<max(iterations, 1000) {
            let product = ids[Int(random.next() % UInt64(ids.count))]
            all.append(try OpportunityBench.time { _ = try store.read { try StockLedger.available($0, product: product, warehouse: nil) } })
            one.append(try OpportunityBench.time { _ = try store.read { try StockLedger.available($0, product: product, warehouse: warehouses[1]) } })
        }
        for n in 0..<iterations {
            let lines = (0..<50).map { ids[(n * 50 + $0 * 7) % min(ids.count, 1000)] }
            priced.append(try OpportunityBench.time {
                try store.write(as: .system) { tx in
                    for (k, product) in lines.enumerated() {
                        _ = try ProductPricing.price(tx, product: product, customer: customers[k % 3], quantity: Decimal(1 + k % 20), date: "2026-12-01")
                    }
                }
            })
            facts.append(try OpportunityBench.time {
                try store.read { reader in
                    for (k, product) in lines.enumerated() {
                        _ = try PriceFacts.collect(reader, product: product, customer: customers[k % 3], channel: nil,
                                                   quantity: Decimal(1 + k % 20), date: "2026-12-01")
                    }
                }
            })
        }
        return Results(products: count, moves: moves, loadRowsPerSecond: Double(count + moves) / seconds,
                       availableAll: Latency(all), availableOne: Latency(one), price50Lines: Latency(priced), facts50Lines: Latency(facts))
    }

    /// Product `i` of the bench catalog.
    static func product(_ i: Int) -> [String: Value] {
        let price: Decimal = Decimal(10 + i % 990) + Decimal(i % 100) / 100
        let cost = Decimal(5 + i % 500)
        return ["code": .text("P\(i)"), "name": .text("产品\(i)"), "list_price": .decimal(price), "cost_price": .decimal(cost), "unit": .text("个")]
    }

    static func move(_ product: Int64, _ warehouse: Int64, _ quantity: Decimal, _ reason: String, document: Int64? = nil) -> [String: Value] {
        var row: [String: Value] = ["product": .integer(product), "warehouse": .integer(warehouse), "quantity": .decimal(quantity), "reason": .text(reason)]
        if let document { row["document_entity"] = .text("order"); row["document_id"] = .integer(document) }
        return row
    }

    /// A default book with quantity breaks on the first products, a VIP book for grade A.
    static func books(_ tx: WriteContext, products: [Int64]) throws {
        let standard = try tx.create("price_book", ["name": .text("标准价目表"), "applies_to": .text("默认")]).id
        for product in products {
            for (from, discount) in [(5, 3), (10, 5)] {
                try tx.create("price_book_entry", ["book": .integer(standard), "product": .integer(product),
                                                   "min_quantity": .decimal(Decimal(from)), "discount": .decimal(Decimal(discount))])
            }
        }
        try tx.create("price_book", ["name": .text("VIP 价目表"), "applies_to": .text("客户等级"), "grade": .text("A"),
                                     "priority": .integer(10), "discount": .decimal(8), "rounding": .text("元")])
    }

    static func require(_ result: BulkResult, _ expected: Int, _ what: String) throws {
        guard result.created == expected else {
            throw KernelError(.validation, "bench \(what) refused: \(result.failures.first?.error.description ?? "")")
        }
    }
}
