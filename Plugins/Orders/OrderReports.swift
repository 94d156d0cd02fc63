import CRMKernel
import Foundation

/// Order reports over the orders that count in sales (approved, executing, completed), read
/// from the totals `OrderMath` stored — the same figures as the documents, to the fen. Margin
/// and cost are left out for a reader who may not see them (the stock grants hide them from
/// 销售专员).
public enum OrderReports {
    /// How orders are grouped.
    public enum Grouping: String, Sendable, CaseIterable {
        case month, rep, team, customer
    }

    /// One group of orders.
    public struct Row: Sendable, Hashable {
        /// The group's key (month `2026-11`, user id, team id, customer id).
        public var key: Value
        /// Number of orders.
        public var count: Int64
        /// Σ total, fen.
        public var totalFen: Int64
        /// Σ margin, fen; nil when the reader may not see margins.
        public var marginFen: Int64?
        /// Σ received, fen.
        public var receivedFen: Int64
    }

    /// Orders by month (of the signing date), rep, team or customer, signed within `from...to` (inclusive days, optional).
    public static func orders(_ reader: RecordReader, by grouping: Grouping, from: String? = nil, to: String? = nil) throws -> [Row] {
        let settings = OrderSettings.current(reader.schema)
        var conditions: [Filter] = [.condition(field: "status", op: .in, value: .list(counted(settings)))]
        if let from { conditions.append(.condition(field: "signed_date", op: .ge, value: .text(from))) }
        if let to { conditions.append(.condition(field: "signed_date", op: .le, value: .text(to))) }
        let key: GroupKey
        switch grouping {
        case .month: key = GroupKey("signed_date", bucket: .month)
        case .rep: key = GroupKey("owner")
        case .team: key = GroupKey("team")
        case .customer: key = GroupKey("customer")
        }
        let showMargin = reader.mayRead("order", "margin")
        var measures: [Measure] = [.count, .sum("total"), .sum("received")]
        if showMargin { measures.append(.sum("margin")) }
        return try reader.aggregate("order", groupBy: [key], measures: measures, filter: .all(conditions)).map { row in
            Row(key: row.group[key.field] ?? .null, count: row.values[0].integerValue ?? 0, totalFen: row.values[1].fen,
                marginFen: showMargin ? row.values[3].fen : nil, receivedFen: row.values[2].fen)
        }
    }

    /// Orders waiting for approval, oldest submission first.
    public static func waitingForApproval(_ reader: RecordReader, limit: Int = 200) throws -> [Record] {
        let settings = OrderSettings.current(reader.schema)
        return try reader.find(Query("order", filter: .eq("status", .text(settings.status("submitted"))),
                                     sort: [SortKey("submitted_at"), SortKey("id")], limit: limit)).records
    }

    /// Approved or executing contracts whose end date falls within `days` days of `today`.
    public static func endingWithin(_ reader: RecordReader, days: Int, today: String, limit: Int = 500) throws -> [Record] {
        let settings = OrderSettings.current(reader.schema)
        guard let start = DateCoding.day(today) else { throw KernelError.invalid("order", field: "today", "expects a date YYYY-MM-DD") }
        let last = DateCoding.dayText(start.addingTimeInterval(Double(days) * 86_400))
        return try reader.find(Query("order", filter: .all([
            .condition(field: "status", op: .in, value: .list([settings.status("approved"), settings.status("executing")])),
            .condition(field: "end_date", op: .ge, value: .text(today)), .condition(field: "end_date", op: .le, value: .text(last)),
        ]), sort: [SortKey("end_date"), SortKey("id")], limit: limit)).records
    }

    /// The statuses whose orders count in sales.
    static func counted(_ settings: OrderSettings) -> [String] { ["approved", "executing", "completed"].map(settings.status) }
}

extension RecordReader {
    /// Whether this reader may see `field` of `entity` (administrators and the system see all).
    func mayRead(_ entity: String, _ field: String) -> Bool { !access.hiddenFields(entity).contains(field) }
}

extension DateCoding {
    /// Noon UTC of a `YYYY-MM-DD` day (safe for adding whole days), or nil.
    static func day(_ text: String) -> Date? {
        guard isValidDate(text) else { return nil }
        return parseInstant(text + "T12:00:00Z")
    }

    /// The `YYYY-MM-DD` of a date built by `day(_:)`.
    static func dayText(_ date: Date) -> String { String(iso(date).prefix(10)) }
}
