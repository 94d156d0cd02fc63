import CRMKernel
import Foundation

/// 业绩分成: how an order's credit is split between users, written on the order as
/// `commission_split` = `"zhangwei:60, lina:40"` (user names or ids, percentages that add up to
/// 100, at most two decimals). Empty: the order's owner gets it all.
enum Splits {
    /// The split as (user id, share in basis points of 10,000); throws a field error on `commission_split`.
    static func parse(_ value: Value, owner: Int64?, _ reader: RecordReader) throws -> [(Int64, Int64)] {
        guard let text = value.textValue?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            return owner.map { [($0, Int64(10_000))] } ?? []
        }
        var out: [(Int64, Int64)] = []
        for part in text.split(separator: ",") {
            let pieces = part.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            guard pieces.count == 2, let pct = Decimal(string: pieces[1], locale: Locale(identifier: "en_US_POSIX")), pct > 0,
                  (pct * 100).rounded(scale: 0) == pct * 100 else {
                throw fail("'\(part)' is not user:percent (zhangwei:60)")
            }
            let user: Int64?
            if let id = Int64(pieces[0]) { user = try reader.system.exists("user", id) ? id : nil }
            else { user = try reader.system.ids("user", where: "name", equals: .text(pieces[0]), limit: 1).first }
            guard let user else { throw fail("no user '\(pieces[0])'") }
            guard !out.contains(where: { $0.0 == user }) else { throw fail("user '\(pieces[0])' is named twice") }
            out.append((user, Int64((pct * 100).plainString) ?? 0))
        }
        let total = out.reduce(0) { $0 + $1.1 }
        guard total == 10_000 else { throw fail("the shares add up to \(Decimal(total) / 100)%, not 100%") }
        return out
    }

    /// A before-save check on orders: a split that does not parse refuses the save.
    static func check(_ ctx: inout SaveContext) throws {
        guard ctx.operation != .delete, ctx.changed("commission_split") else { return }
        do { _ = try parse(ctx.values["commission_split"] ?? .null, owner: nil, ctx.tx.reader) } catch let e as KernelError {
            ctx.reject("commission_split", e.fieldErrors.first?.message ?? e.message)
        }
    }

    private static func fail(_ message: String) -> KernelError {
        KernelError.invalid("order", field: "commission_split", message)
    }
}
