import CRMKernel
import Foundation

/// Receipt-based credits from the finance module's events: `payment.approved` (a receipt, or a
/// refund with a negative amount) credits the order's split users on the `receipt` base on the
/// day it was received; `payment.reversed` (an approved receipt voided) takes those credits back
/// on the day of the reversal. The payload carries what is needed (`{id, order, customer, owner,
/// amount_fen, received_on, kind}`); only the order it names is read, for its split.
enum PaymentCredits {
    /// The consumer.
    static var consumer: EventConsumer {
        EventConsumer("payment_credits", events: ["payment.approved", "payment.reversed"],
                      summary: "credits the ledger's receipt base when a receipt or refund is approved and reverses it when a receipt is voided") { event, tx in
            let p = event.payload
            guard let payment = p["id"]?.integerValue ?? event.recordID else { return }
            try tx.asSystem {
                if event.name == "payment.reversed" {
                    try reverse(tx, payment, day: try PayPeriod.day(event.at, tx.reader), event: event.seq)
                } else {
                    try credit(tx, payment, p, event: event)
                }
            }
        }
    }

    /// Credits an approved receipt or refund once (a repeated event finds its entries and does nothing).
    static func credit(_ tx: WriteContext, _ payment: Int64, _ p: [String: Value], event: Event) throws {
        guard let amount = p["amount_fen"]?.integerValue, amount != 0 else { return }
        guard try tx.reader.system.count("commission_credit", filter: .all([.eq("payment", .integer(payment)), .eq("base", .text("receipt"))])) == 0 else { return }
        let day = try p["received_on"]?.textValue.flatMap { PayPeriod.isDay($0) ? $0 : nil } ?? PayPeriod.day(event.at, tx.reader)
        let order = try p["order"]?.integerValue.flatMap { try tx.reader.system.get("order", $0) }
        let owner = p["owner"]?.integerValue ?? order?["owner"].integerValue
        let split = try Splits.parse(order?["commission_split"] ?? .null, owner: owner, tx.reader)
        let kind = amount < 0 || p["kind"]?.textValue == "refund" ? "refund" : "receipt"
        var left = amount
        for (i, (user, share)) in split.enumerated() {
            // The last user takes the rounding remainder, so the shares add up to the payment.
            let part = i == split.count - 1 ? left : Fen.share(amount, share, 10_000)
            left -= part
            try CreditLedger.write(tx, user: user, day: day, kind: kind, base: "receipt", amount: part, share: share, order: order,
                                   payment: payment, customer: p["customer"]?.integerValue, reason: kind == "refund" ? "退款" : nil, event: event.seq)
        }
    }

    /// Takes back what a voided receipt still holds, per user.
    static func reverse(_ tx: WriteContext, _ payment: Int64, day: String, event: Int64) throws {
        let rows = try tx.reader.system.aggregate("commission_credit", groupBy: [GroupKey("user"), GroupKey("order")], measures: [.sum("amount")],
                                                  filter: .all([.eq("payment", .integer(payment)), .eq("base", .text("receipt"))]))
        for row in rows {
            guard let user = row.group["user"]?.integerValue else { continue }
            let held = Fen.of(row.values[0])
            guard held != 0 else { continue }
            let order = try row.group["order"]?.integerValue.flatMap { try tx.reader.system.get("order", $0) }
            try CreditLedger.write(tx, user: user, day: day, kind: "reversal", base: "receipt", amount: -held, share: nil, order: order,
                                   payment: payment, reason: "收款作废", event: event)
        }
    }
}
