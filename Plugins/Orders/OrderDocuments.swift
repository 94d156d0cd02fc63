import CRMKernel
import Foundation

/// Where a line belongs and whether that document may still change.
enum OrderDocuments {
    /// A quote or an order.
    struct Ref: Hashable {
        /// `quote` or `order`.
        var entity: String
        /// Its id.
        var id: Int64
    }

    /// The document a line's values point at; nil (with a field error) unless exactly one is set.
    static func ref(of values: [String: Value]) -> Ref? {
        let order = values["order"]?.integerValue, quote = values["quote"]?.integerValue
        switch (order, quote) {
        case (let o?, nil): return Ref(entity: "order", id: o)
        case (nil, let q?): return Ref(entity: "quote", id: q)
        default: return nil
        }
    }

    /// Why `document` cannot change its lines and amounts now, or nil when it can.
    static func lockReason(_ document: Record, _ settings: OrderSettings) -> String? {
        let status = document["status"].textValue ?? ""
        if document.entity == "quote" {
            if document["superseded"] == .bool(true) { return "报价单 \(document["number"]) 已有新版本，旧版本只读 (a superseded quote version is read-only)" }
            if !document["order"].isEmpty { return "报价单 \(document["number"]) 已转为订单，只读 (a converted quote is read-only)" }
            return nil
        }
        guard settings.locked.contains(status) else { return nil }
        return "订单 \(document["number"]) 状态为\(status)，已锁定：行和金额只能通过变更修改 (the order is locked in status \(status); start a change to edit it)"
    }

    /// The document's lines in position order (as the system: totals never depend on who asks).
    static func lines(_ reader: RecordReader, _ doc: Ref) throws -> [Record] {
        var out: [Record] = [], after: String? = nil
        repeat {
            let page = try reader.find(Query("order_line", filter: .eq(doc.entity, .integer(doc.id)),
                                             sort: [SortKey("position"), SortKey("id")], limit: 1000, after: after))
            out += page.records
            after = page.nextCursor
        } while after != nil
        return out
    }
}

extension Value {
    /// A money value in fen (0 when empty).
    var fen: Int64 { number.map(OrderMath.fen) ?? 0 }
    /// A decimal (0 when empty).
    var decimalOrZero: Decimal { number ?? 0 }
    /// A decimal, an integer, or text holding a number (what Lua passes for money).
    var number: Decimal? {
        if case .text(let t) = self { return Decimal(string: t.trimmingCharacters(in: .whitespaces), locale: Locale(identifier: "en_US_POSIX")) }
        return decimalValue
    }
    /// Money from fen.
    static func money(_ fen: Int64) -> Value { .decimal(OrderMath.yuan(fen)) }
}
