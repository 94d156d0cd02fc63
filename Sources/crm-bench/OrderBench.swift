import CRMKernel
import CRMOrders
import CRMProducts
import Foundation

/// Orders at scale: a catalog, then approved orders of 20 lines each up to `lines` order lines
/// (through the module's own code, so every line is checked and every order totalled), then
/// pricing a 50-line order with the `products.price` policy, saving a 50-line order, and sales
/// by product for a year.
enum OrderBench {
    struct Results: Codable {
        var products: Int
        var orderLines: Int
        var loadLinesPerSecond: Double
        var price50Lines: Latency
        var save50Lines: Latency
        var salesByProductYear: Latency
    }

    static let linesPerOrder = 20

    static func measure(_ dir: URL, lines: Int, products: Int, iterations: Int, progress: (String) -> Void) throws -> Results {
        let host = try KernelBench.open(dir, scripts: true)
        defer { host.workspace.close() }  // frees its connections and Lua state when the section ends
        let store = host.workspace.store
        progress("orders: \(products) products, \(lines) order lines")
        let catalog = (0..<products).map { i -> [String: Value] in
            ["code": .text("B\(i)"), "name": .text("产品\(i)"), "unit": .text("个"), "list_price": .decimal(Decimal(100 + i % 900)),
             "cost_price": .decimal(Decimal(60 + i % 500)), "tax_rate": .text("13"), "kind": .text(ProductKind.service)]
        }
        let made = try store.bulkCreate("product", catalog, options: BulkOptions(batchSize: 2000))
        guard made.created == products else { throw KernelError(.validation, "bench products refused: \(made.failures.first?.error.description ?? "")") }
        let productIDs = try KernelBench.ids(store, "product", limit: products)
        let customers = CustomerData(count: 200, seed: 21)
        _ = try store.bulkCreate("customer", customers.rows(0..<customers.count), options: BulkOptions(batchSize: 200))
        let customerIDs = try store.read { try $0.find(Query("customer", limit: 200)).records.map(\.id) }

        let start = DispatchTime.now().uptimeNanoseconds
        var written = 0, order = 0
        while written < lines {
            try store.write(as: .system) { tx in
                for _ in 0..<50 where written < lines {
                    let n = min(linesPerOrder, lines - written)
                    let rows = (0..<n).map { k in line(productIDs, (order * 7 + k * 13) % productIDs.count, k) }
                    let o = try OrderService.save(tx, entity: "order", id: nil, header: ["customer": .integer(customerIDs[order % customerIDs.count])], lines: rows)
                    _ = try OrderActions.submit(tx, o.id)
                    _ = try OrderActions.approve(tx, o.id)
                    written += n
                    order += 1
                }
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9

        progress("orders: timing pricing and saving a 50-line order, sales by product for a year")
        var price: [Double] = [], save: [Double] = [], sales: [Double] = []
        let today = try store.read { r in try OrderActions.today(r) }
        let yearAgo = DateCoding.iso(Date().addingTimeInterval(-365 * 86_400)).prefix(10)
        for i in 0..<iterations {
            let picks = (0..<50).map { (i * 50 + $0 * 31) % productIDs.count }
            price.append(try time {
                for p in picks { _ = try ProductPricing.price(store, as: .unrestricted, product: productIDs[p], customer: customerIDs[0], quantity: 3, date: today) }
            })
            save.append(try time {
                try store.write(as: .system) { tx in
                    _ = try OrderService.save(tx, entity: "order", id: nil, header: ["customer": .integer(customerIDs[i % customerIDs.count])],
                                              lines: picks.enumerated().map { line(productIDs, $1, $0) })
                }
            })
            sales.append(try time { _ = try store.read { try SalesByProduct.run($0, by: .product, from: String(yearAgo), to: today) } })
        }
        return Results(products: products, orderLines: written, loadLinesPerSecond: Double(written) / seconds,
                       price50Lines: Latency(price), save50Lines: Latency(save), salesByProductYear: Latency(sales))
    }

    /// Line `k` for the catalog's product `index`, at its list price (so the load measures the
    /// order code, not pricing).
    static func line(_ products: [Int64], _ index: Int, _ k: Int) -> [String: Value] {
        ["product": .integer(products[index]), "quantity": .decimal(Decimal(1 + k % 5)), "discount": .decimal(Decimal(k % 3 * 5)),
         "sales_price": .decimal(Decimal(100 + index % 900))]
    }

    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }
}
