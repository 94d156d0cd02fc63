import CRMKernel
import CRMProducts
import Foundation

/// Demo data: quotes (some with two versions, one converted) and orders in every status —
/// drafts, some waiting for approval, approved, executing, completed, rejected, voided, one
/// changed after approval — plus an order made from each won opportunity.
enum OrderDemo {
    static let services = [("ERP 实施服务", 8_000_000), ("年度运维服务", 2_400_000), ("现场培训（人天）", 300_000), ("数据迁移", 1_500_000)]

    static func seed(_ tx: WriteContext, _ demo: inout DemoContext) throws {
        guard tx.schema.entities["order"]?.fieldsByName["status"] != nil, !(tx.schema.pipelines["order"] ?? []).isEmpty else { return }
        let customers = try tx.reader.find(Query("customer", sort: [SortKey("id")], limit: 12)).records
        guard !customers.isEmpty else { return }
        let products = try sellable(tx)
        let calendar = try tx.reader.workspaceCalendar()
        func day(_ offset: Int) -> Value {
            let c = calendar.dateComponents([.year, .month, .day], from: tx.now.addingTimeInterval(Double(offset) * 86_400))
            return .text(String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0))
        }
        func lines(_ n: Int) -> [[String: Value]] {
            (0..<n).map { k in
                if !products.isEmpty {
                    let p = products[Int.random(in: 0..<products.count, using: &demo.random)]
                    return ["product": .integer(p), "quantity": .decimal(Decimal(Int.random(in: 1...2, using: &demo.random))),
                            "discount": .decimal(Decimal([0, 0, 5, 10][k % 4]))]
                }
                let s = services[(k + n) % services.count]
                return ["description": .text(s.0), "quantity": .decimal(Decimal(Int.random(in: 1...5, using: &demo.random))),
                        "sales_price": .money(Int64(s.1)), "tax_rate": .decimal(6), "unit_cost": .money(Int64(s.1) * 6 / 10),
                        "discount": .decimal(Decimal([0, 5, 10, 25][k % 4]))]
            }
        }
        // Quotes: a current one, one with two versions, one converted to an order.
        for (i, c) in customers.prefix(3).enumerated() {
            let q = try OrderService.save(tx, entity: "quote", id: nil, header: ["customer": .integer(c.id), "owner": c["owner"],
                                                                                 "title": .text("\(c["name"]) 报价"), "valid_until": day(30)].filter { !$0.value.isEmpty }, lines: lines(3))
            if i >= 1 { _ = try QuoteActions.newVersion(tx, q.id, fields: ["order_discount": .decimal(3)]) }
        }
        // Orders in every status; statuses follow the company's pipeline roles.
        let plan: [[String]] = [[], ["submit"], ["submit"], ["submit", "approve"], ["submit", "approve", "start"],
                                ["submit", "approve", "start", "complete"], ["submit", "reject"], ["void"],
                                ["submit", "approve", "change"], ["submit", "approve", "start"]]
        for (i, steps) in plan.enumerated() {
            let c = customers[i % customers.count]
            let order = try OrderService.save(tx, entity: "order", id: nil, header: [
                "customer": .integer(c.id), "owner": c["owner"], "title": .text("\(c["name"].textValue?.prefix(6) ?? "")合同 \(i + 1)"),
                "start_date": day(-30 + i), "end_date": day(i == 4 ? 20 : 365 - i * 20), "payment_terms": .text("合同签订后 30 天内付 50%，验收后付清"),
                "order_discount": .decimal(i == 2 ? 8 : 0),
            ].filter { !$0.value.isEmpty }, lines: lines(2 + i % 4))
            for (n, step) in steps.enumerated() {
                switch step {
                case "submit" where n == steps.count - 1 && tx.schema.approvals.flows["order"] != nil:
                    // Left waiting: a real approval the manager can decide (earlier history skips the engine).
                    _ = try tx.asSystem { try Approvals.submit("order", order.id, in: tx) }
                case "submit": _ = try OrderWorkflow.submit(tx, order.id)
                case "approve": _ = try OrderWorkflow.approved(tx, order.id)
                case "reject": _ = try OrderWorkflow.rejected(tx, order.id, comment: "折扣过大，请重新报价")
                case "start": _ = try OrderWorkflow.start(tx, order.id)
                case "complete": _ = try OrderWorkflow.complete(tx, order.id)
                case "void": _ = try OrderWorkflow.void(tx, order.id, reason: "客户取消采购")
                case "change": _ = try OrderWorkflow.change(tx, order.id, reason: "客户追加数量")
                default: break
                }
            }
        }
        // Each won opportunity becomes an order in one step.
        let won = try tx.reader.find(Query("opportunity", filter: .condition(field: "won_date", op: .isNotEmpty, value: .null), limit: 5)).records
        for o in won where o["order"].isEmpty { _ = try OpportunityLink.toOrder(tx, opportunity: o.id) }
    }

    /// Up to 12 products on sale that are services or have at least 40 available (so the demo
    /// orders can reserve and take what they need).
    private static func sellable(_ tx: WriteContext) throws -> [Int64] {
        let candidates = try tx.reader.find(Query("product", filter: .condition(field: "status", op: .ne, value: .text(ProductFacts.offSale)),
                                                  sort: [SortKey("id")], limit: 200)).records
        var out: [Int64] = []
        for p in candidates where out.count < 12 {
            if !ProductFacts.isStocked(p) { out.append(p.id); continue }
            let warehouse = try tx.reader.find(Query("warehouse", sort: [SortKey("id")], limit: 1)).records.first?.id
            if try StockLedger.available(tx.reader, product: p.id, warehouse: warehouse).available >= 40 { out.append(p.id) }
        }
        return out
    }
}
