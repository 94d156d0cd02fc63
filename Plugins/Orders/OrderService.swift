import CRMKernel
import Foundation

/// Writing quotes and orders with their lines in one transaction, as the caller: the header is
/// written under the caller's grants; the lines are written by the module once the caller is
/// known to be allowed to update the document she can see (lines have no grants of their own).
public enum OrderService {
    /// Creates (`id` nil) or updates a quote or an order; when `lines` is given it replaces the
    /// document's lines. The order discount is applied last, so the totals are computed once.
    public static func save(_ tx: WriteContext, entity: String, id: Int64?, header: [String: Value], lines: [[String: Value]]?) throws -> Record {
        guard entity == "order" || entity == "quote" else { throw KernelError(.validation, "expects order or quote, not \(entity)") }
        var first = header
        let discount = first.removeValue(forKey: "order_discount")
        let documentID: Int64
        if let id {
            documentID = try document(tx, entity, id).id
            if !first.isEmpty { _ = try tx.update(entity, id, first) }
        } else {
            documentID = try tx.create(entity, first).id
        }
        let doc = OrderDocuments.Ref(entity: entity, id: documentID)
        if let lines {
            try tx.asSystem {
                for old in try OrderDocuments.lines(tx.reader, doc) { try tx.delete("order_line", old.id) }
                for (i, var values) in lines.enumerated() {
                    values[entity] = .integer(documentID)
                    values["batch"] = .bool(true)
                    if values["position"] == nil { values["position"] = .integer(Int64(i + 1)) }
                    _ = try tx.create("order_line", values)
                }
            }
        }
        if let discount { _ = try tx.update(entity, documentID, ["order_discount": discount]) }
        // One total for the whole batch (the lines' hooks skipped it); it also clears `batch`.
        if lines != nil { try OrderTotals.recompute(tx, doc) }
        return try tx.reader.get(entity, documentID) ?? document(tx, entity, documentID)
    }

    /// Adds a line to a document the caller may update.
    public static func addLine(_ tx: WriteContext, entity: String, id: Int64, _ values: [String: Value]) throws -> Record {
        _ = try document(tx, entity, id)
        var values = values
        values[entity] = .integer(id)
        values[entity == "order" ? "quote" : "order"] = nil
        values["batch"] = nil
        let line = try tx.asSystem { try tx.create("order_line", values) }
        return try tx.asSystem { try tx.reader.get("order_line", line.id) } ?? line
    }

    /// Changes a line of a document the caller may update.
    public static func updateLine(_ tx: WriteContext, _ lineID: Int64, _ values: [String: Value]) throws -> Record {
        _ = try lineDocument(tx, lineID)
        var values = values
        values["order"] = nil
        values["quote"] = nil
        values["batch"] = nil
        return try tx.asSystem { try tx.update("order_line", lineID, values) }
    }

    /// Removes a line of a document the caller may update.
    public static func removeLine(_ tx: WriteContext, _ lineID: Int64) throws {
        _ = try lineDocument(tx, lineID)
        try tx.asSystem { try tx.delete("order_line", lineID) }
    }

    /// The document, when the caller may see it and update documents of its kind.
    static func document(_ tx: WriteContext, _ entity: String, _ id: Int64) throws -> Record {
        try tx.access.require(.update, on: entity)
        guard let record = try tx.reader.get(entity, id) else { throw KernelError.recordNotFound(entity, id) }
        return record
    }

    /// The document of a line, checked like `document`.
    private static func lineDocument(_ tx: WriteContext, _ lineID: Int64) throws -> Record {
        guard let line = try tx.asSystem({ try tx.reader.get("order_line", lineID) }), let doc = OrderDocuments.ref(of: line.values) else {
            throw KernelError.recordNotFound("order_line", lineID)
        }
        do { return try document(tx, doc.entity, doc.id) } catch let e as KernelError where e.kind == .notFound {
            throw KernelError.recordNotFound("order_line", lineID)
        }
    }
}
