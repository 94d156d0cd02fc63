import CRMKernel
import Foundation

/// The versions of an order: before a 变更 reopens an approved order, its header and lines are
/// kept as an `order_revision` (JSON, read-only), so the approved version stays visible next to
/// the changed one.
enum OrderRevisions {
    /// Fields of the header kept in a revision.
    static let headerFields = ["number", "title", "status", "doc_version", "customer", "contact", "opportunity", "order_discount", "list_total",
                               "subtotal", "discount_amount", "total", "tax", "cost", "margin", "discount_percent", "margin_percent",
                               "signed_date", "start_date", "end_date", "payment_terms", "delivery_address", "approved_at"]
    /// Fields of each line kept in a revision.
    static let lineFields = ["position", "product", "description", "unit", "quantity", "list_price", "sales_price", "discount", "tax_rate",
                             "amount", "net_amount", "tax", "unit_cost", "cost", "margin", "price_trace"]

    /// Stores the order as it is now.
    static func keep(_ tx: WriteContext, _ order: Record) throws {
        try tx.asSystem {
            let lines = try OrderDocuments.lines(tx.reader, OrderDocuments.Ref(entity: "order", id: order.id))
            let snapshot: [String: Any] = [
                "order": flat(order, headerFields),
                "lines": lines.map { flat($0, lineFields) },
            ]
            let data = try JSONSerialization.data(withJSONObject: snapshot, options: [.sortedKeys])
            _ = try tx.create("order_revision", [
                "order": .integer(order.id), "doc_version": order["doc_version"].isEmpty ? .integer(1) : order["doc_version"],
                "total": order["total"], "status": order["status"], "approved_at": order["approved_at"],
                "change_reason": order["change_reason"], "snapshot": .text(String(decoding: data, as: UTF8.self)),
            ])
        }
    }

    /// The kept revisions of `order`, oldest first.
    static func list(_ reader: RecordReader, order: Int64) throws -> [Record] {
        try reader.find(Query("order_revision", filter: .eq("order", .integer(order)), sort: [SortKey("doc_version")], limit: 1000)).records
    }

    /// The revision's snapshot as a script value: `{order = {...}, lines = {{...}, ...}}`.
    static func decode(_ revision: Record, hiding hidden: Set<String> = []) throws -> ScriptValue {
        guard let text = revision["snapshot"].textValue,
              let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return .null }
        func table(_ any: Any?) -> ScriptValue {
            .table(((any as? [String: Any]) ?? [:]).filter { !hidden.contains($0.key) }.mapValues { .value(($0 as? String).map(Value.text) ?? .null) })
        }
        return .table(["order": table(object["order"]), "lines": .list(((object["lines"] as? [Any]) ?? []).map(table)),
                       "version": .value(revision["doc_version"])])
    }

    private static func flat(_ record: Record, _ fields: [String]) -> [String: Any] {
        var out: [String: Any] = ["id": String(record.id)]
        for f in fields where !record[f].isEmpty { out[f] = record[f].description }
        return out
    }
}
