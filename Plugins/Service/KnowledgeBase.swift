import CRMKernel
import Foundation

/// The knowledge base: published articles searched by the kernel's full-text index (2-character
/// Chinese terms like everywhere else), articles suggested from a ticket's subject, helpful counts.
public enum KnowledgeBase {
    /// The status an article is readable by customers and suggested in.
    public static let published = "已发布"

    static func beforeSave(_ ctx: inout SaveContext) {
        guard ctx.operation != .delete, ctx.changed("status"), ctx.values["status"] == .text(published) else { return }
        ctx.values["published_at"] = .datetime(ctx.tx.now)
    }

    /// Published articles matching `text`, best first (most helpful first among matches).
    public static func search(_ reader: RecordReader, _ text: String, limit: Int = 20) throws -> [Record] {
        let q = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !q.isEmpty else { throw KernelError(.validation, "q: a search needs some text", entity: "kb_article", fieldErrors: [FieldError(field: "q", message: "is required")]) }
        return try reader.find(Query("kb_article", filter: .eq("status", .text(published)), search: q,
                                     sort: [SortKey("helpful", descending: true)], limit: max(1, min(limit, 100)))).records
    }

    /// The search terms of a subject: its words, and each run of Chinese cut into 2-character terms.
    static func terms(_ subject: String) -> [String] {
        var out: [String] = [], seen = Set<String>()
        func add(_ t: String) { if t.count >= 2, seen.insert(t).inserted { out.append(t) } }
        var han: [Character] = [], word = ""
        func flush() {
            if han.count >= 2 { for i in 0..<(han.count - 1) { add(String(han[i...(i + 1)])) } }
            han = []
            if !word.isEmpty { add(word.lowercased()); word = "" }
        }
        for ch in subject {
            if ch.unicodeScalars.allSatisfy({ (0x4E00...0x9FFF).contains($0.value) }) { if !word.isEmpty { add(word.lowercased()); word = "" }; han.append(ch) }
            else if ch.isLetter || ch.isNumber { if han.count >= 2 { for i in 0..<(han.count - 1) { add(String(han[i...(i + 1)])) } }; han = []; word.append(ch) }
            else { flush() }
        }
        flush()
        return Array(out.prefix(12))
    }

    /// Published articles for a ticket's subject: the articles matching most of its terms first.
    public static func suggest(_ reader: RecordReader, subject: String, limit: Int = 5) throws -> [Record] {
        var hits: [Int64: (Int, Record)] = [:]
        for term in terms(subject) {
            let page = try reader.find(Query("kb_article", filter: .eq("status", .text(published)), search: term, limit: 50))
            for r in page.records { hits[r.id] = ((hits[r.id]?.0 ?? 0) + 1, r) }
        }
        return hits.values.sorted { a, b in
            a.0 != b.0 ? a.0 > b.0 : (a.1["helpful"].integerValue ?? 0, b.1.id) > (b.1["helpful"].integerValue ?? 0, a.1.id)
        }.prefix(limit).map(\.1)
    }

    /// Counts a reader's vote on article `id`.
    static func vote(_ tx: WriteContext, article id: Int64, helpful: Bool) throws -> Record {
        guard let a = try tx.reader.get("kb_article", id), a["status"] == .text(published) else {
            throw KernelError(.notFound, "no published article #\(id)", entity: "kb_article")
        }
        let field = helpful ? "helpful" : "not_helpful"
        return try tx.asSystem { try tx.update("kb_article", id, [field: .integer((a[field].integerValue ?? 0) + 1)]) }
    }
}
