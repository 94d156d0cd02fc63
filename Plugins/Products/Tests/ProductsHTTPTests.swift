import CRMKernel
import CRMProducts
import CRMServer
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The module over HTTP, through the existing records and actions routes, with each caller's
/// access: a rep prices a quote line and does not see the cost; stock moves cannot be deleted;
/// a rep may not adjust stock.
struct ProductsHTTPTests {
    func withClient(_ f: ProductsFixture, _ body: @escaping @Sendable (any TestClientProtocol, [String: String]) async throws -> Void) async throws {
        let accounts = Accounts(store: f.store)
        var tokens: [String: String] = [:]
        for name in ["boss", "lina"] {
            tokens[name] = try accounts.createToken(for: name, label: "test", expiresAt: try TokenLifetime.expiry(days: nil, field: "days"), by: .system).token
        }
        let server = APIServer(host: f.host, configuration: ServerConfiguration(runJobs: false, deliverWebhooks: false))
        let app = Application(router: server.router())
        let issued = tokens
        do { try await app.test(.router) { client in try await body(client, issued) } } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }

    @Test func aRepPricesALineAndDoesNotSeeTheCost() async throws {
        let f = try ProductsFixture()
        try PricingTests.books(f)
        let (printer, vip) = (f.printer, f.vipCustomer)
        try await withClient(f) { c, tokens in
            let body = #"[{"product": \#(printer), "customer": \#(vip), "quantity": "1", "date": "2026-12-01"}]"#
            let priced = try await c.send(.post, "/api/v1/actions/products/price", token: tokens["lina"], body: body)
            #expect(priced.status == 200, "\(priced.text)")
            let result = priced.object["result"] as? [String: Any]
            #expect(result?["price"] as? Int == 9200)
            #expect(result?["trace"] as? String == "目录价 100.00 → VIP 价目表 −8% → 四舍五入到元")
            let product = try await c.send(.get, "/api/v1/records/product/\(printer)", token: tokens["lina"])
            #expect(product.status == 200)
            #expect(product.text.contains("list_price"))
            #expect(!product.text.contains("cost_price"))
            let admin = try await c.send(.get, "/api/v1/records/product/\(printer)", token: tokens["boss"])
            #expect(admin.text.contains("cost_price"))
        }
    }

    @Test func stockMovesCannotBeDeletedAndRepsCannotAdjust() async throws {
        let f = try ProductsFixture()
        let move = try f.write { tx in try StockLedger.receive(tx, product: f.printer, warehouse: f.warehouses[0], quantity: 5) }
        let (printer, warehouse) = (f.printer, f.warehouses[0])
        try await withClient(f) { c, tokens in
            let delete = try await c.send(.delete, "/api/v1/records/stock_move/\(move.id)", token: tokens["boss"])
            #expect(delete.status == 400, "\(delete.text)")
            #expect(delete.text.contains("只能追加"))
            let adjust = try await c.send(.post, "/api/v1/actions/products/adjust_stock", token: tokens["lina"],
                                          body: #"[{"product": \#(printer), "warehouse": \#(warehouse), "delta": "-1", "reason": "盘亏"}]"#)
            #expect(adjust.status == 403, "\(adjust.text)")
            let available = try await c.send(.post, "/api/v1/actions/products/available", token: tokens["lina"], body: "[\(printer)]")
            #expect((available.object["result"] as? [String: Any])?["available"] as? String == "5")
        }
        #expect(try f.level(f.printer) == StockLevel(onHand: 5, reserved: 0))
    }
}

/// A response read as text.
struct HTTPReply {
    var status: Int
    var text: String
    var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
}

extension TestClientProtocol {
    /// Sends a request as `token`'s user with an optional JSON body.
    func send(_ method: HTTPRequest.Method, _ uri: String, token: String?, body: String? = nil) async throws -> HTTPReply {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { r in
            HTTPReply(status: Int(r.status.code), text: String(buffer: r.body))
        }
    }
}
