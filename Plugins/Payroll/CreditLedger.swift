import CRMKernel
import Foundation

/// The append-only credit ledger (`commission_credit`), written only by the module's durable
/// event consumers and by manual adjustments: an approved order credits its split users with the
/// lines' amounts and margins, a voided order reverses what it earned, an approved receipt or
/// refund (finance's `payment.approved`) credits or takes back the receipt base. Nothing here
/// reads another module's tables in a batch: each reaction reads the one record its event names.
enum CreditLedger {
    /// The order status whose entry earns the credit (the stock pack's 已审批).
    static let approvedStatus = "已审批"

    /// `order.stage_changed` into 已审批 → credits; `order.lost` (作废) → reversal.
    static var orderConsumer: EventConsumer {
        EventConsumer("order_credits", events: ["order.stage_changed", "order.lost"],
                      summary: "credits the ledger when an order is approved and reverses it when the order is voided") { event, tx in
            guard let order = event.recordID ?? event.payload["id"]?.integerValue else { return }
            let day = try PayPeriod.day(event.at, tx.reader)
            try tx.asSystem {
                if event.name == "order.lost" {
                    try reverseOrder(tx, order, day: day, event: event.seq, reason: "订单作废")
                } else if event.payload["to"]?.textValue == approvedStatus {
                    try creditOrder(tx, order, day: day, event: event.seq)
                }
            }
        }
    }

    /// One credit's grouping key within an order: the user and the line's product and category.
    struct LineKey: Hashable { var user: Int64; var product: Int64?; var category: Int64? }

    /// Brings the order's sales credits to what the approved order earns now: new entries for
    /// the difference (a first approval credits everything; a re-approval after a 变更 credits or
    /// reverses only what changed; nothing when nothing changed).
    static func creditOrder(_ tx: WriteContext, _ id: Int64, day: String, event: Int64?) throws {
        guard let order = try tx.reader.get("order", id) else { return }
        let split = try Splits.parse(order["commission_split"], owner: order["owner"].integerValue, tx.reader)
        let lines = try tx.reader.find(Query("order_line", filter: .eq("order", .integer(id)), limit: 100_000)).records
        var wanted: [LineKey: (amount: Int64, margin: Int64, share: Int64)] = [:]
        let parts: [(Int64?, Int64?, Int64, Int64)] = lines.isEmpty
            ? [(nil, nil, Fen.of(order["total"]), Fen.of(order["margin"]))]
            : lines.map { ($0["product"].integerValue, $0["category"].integerValue, Fen.of($0["net_amount"]), Fen.of($0["margin"])) }
        for (user, basisPoints) in split {
            for part in parts {
                let key = LineKey(user: user, product: part.0, category: part.1)
                let before = wanted[key] ?? (0, 0, basisPoints)
                wanted[key] = (before.amount + Fen.share(part.2, basisPoints, 10_000), before.margin + Fen.share(part.3, basisPoints, 10_000), basisPoints)
            }
        }
        let existing = try credited(tx, order: id)
        for key in Set(wanted.keys).union(existing.keys).sorted(by: { ($0.user, $0.product ?? 0, $0.category ?? 0) < ($1.user, $1.product ?? 0, $1.category ?? 0) }) {
            let want = wanted[key] ?? (0, 0, 0), have = existing[key] ?? (0, 0)
            let dAmount = want.amount - have.0, dMargin = want.margin - have.1
            guard dAmount != 0 || dMargin != 0 else { continue }
            try write(tx, user: key.user, day: day, kind: dAmount >= 0 ? "order" : "reversal", base: "sales", amount: dAmount, margin: dMargin,
                      share: want.share, order: order, product: key.product, category: key.category,
                      reason: have == (0, 0) ? nil : "订单变更后重新审批", event: event)
        }
    }

    /// Takes back everything the order's sales credits still hold.
    static func reverseOrder(_ tx: WriteContext, _ id: Int64, day: String, event: Int64?, reason: String) throws {
        guard let order = try tx.reader.get("order", id) else { return }
        for (key, have) in try credited(tx, order: id) where have != (0, 0) {
            try write(tx, user: key.user, day: day, kind: "reversal", base: "sales", amount: -have.0, margin: -have.1, share: nil,
                      order: order, product: key.product, category: key.category, reason: reason, event: event)
        }
    }

    /// The order's sales credits so far, net, by user, product and category.
    static func credited(_ tx: WriteContext, order: Int64) throws -> [LineKey: (Int64, Int64)] {
        let rows = try tx.reader.system.aggregate("commission_credit", groupBy: [GroupKey("user"), GroupKey("product"), GroupKey("category")],
                                                  measures: [.sum("amount"), .sum("margin")],
                                                  filter: .all([.eq("order", .integer(order)), .eq("base", .text("sales"))]))
        var out: [LineKey: (Int64, Int64)] = [:]
        for row in rows {
            guard let user = row.group["user"]?.integerValue else { continue }
            out[LineKey(user: user, product: row.group["product"]?.integerValue, category: row.group["category"]?.integerValue)] =
                (Fen.of(row.values[0]), Fen.of(row.values[1]))
        }
        return out
    }

    /// Appends one entry.
    @discardableResult
    static func write(_ tx: WriteContext, user: Int64, day: String, kind: String, base: String, amount: Int64, margin: Int64 = 0,
                      share: Int64?, order: Record?, payment: Int64? = nil, customer: Int64? = nil, product: Int64? = nil,
                      category: Int64? = nil, reason: String?, event: Int64?) throws -> Record {
        var values: [String: Value] = [
            "user": .integer(user), "date": .text(day), "period": .text(String(day.prefix(7))), "kind": .text(kind), "base": .text(base),
            "amount": Fen.value(amount), "margin": Fen.value(margin), "owner": .integer(user),
        ]
        if let share { values["share"] = .decimal(Decimal(share) / 100) }
        if let order { values["order"] = .integer(order.id); values["customer"] = order["customer"] }
        if let customer { values["customer"] = .integer(customer) }
        if let payment { values["payment"] = .integer(payment) }
        if let product { values["product"] = .integer(product) }
        if let category { values["category"] = .integer(category) }
        if let reason { values["reason"] = .text(reason) }
        if let event { values["event"] = .integer(event) }
        return try tx.create("commission_credit", values)
    }

    /// The ledger's own rules: entries are never changed or removed; an adjustment names its reason.
    static func guardEntries(_ ctx: inout SaveContext) {
        switch ctx.operation {
        case .update, .delete:
            ctx.reject("kind", "the credit ledger is append-only: add an adjustment or a reversal instead of changing entry \(ctx.id ?? 0)")
        case .create:
            if ctx.values["kind"]?.textValue == "adjustment", (ctx.values["reason"] ?? .null).isEmpty {
                ctx.reject("reason", "a manual adjustment needs a reason")
            }
            if let day = ctx.values["date"]?.textValue { ctx.values["period"] = .text(String(day.prefix(7))) }
        }
    }
}
