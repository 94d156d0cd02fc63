import Foundation

/// What a report run produces: a titled table, and how to chart it.
public struct ReportTable: Sendable, Hashable {
    /// How a column's values read.
    public enum ColumnKind: String, Sendable, Hashable, Codable {
        /// Text (group labels).
        case text
        /// Whole numbers (counts).
        case integer
        /// Money in yuan, exact (two decimals).
        case money
        /// Other exact numbers.
        case decimal
        /// A rate in percent (`85.5` reads 85.50%).
        case percent
    }

    /// One column.
    public struct Column: Sendable, Hashable {
        /// Its identifier (`amount`).
        public var name: String
        /// Its heading (`成交金额`).
        public var label: String
        /// How its values read.
        public var kind: ColumnKind

        /// Creates a column.
        public init(_ name: String, _ label: String, _ kind: ColumnKind) {
            self.name = name
            self.label = label
            self.kind = kind
        }
    }

    /// A chart of the table: one bar or point per row, labelled by `labelColumn`, for `valueColumn`.
    public struct Chart: Sendable, Hashable {
        /// Bars, a line, or a funnel.
        public enum Kind: String, Sendable, Hashable, Codable { case bar, line, funnel }
        /// The kind.
        public var kind: Kind
        /// The column the labels come from.
        public var labelColumn: String
        /// The column charted.
        public var valueColumn: String

        /// Creates a chart.
        public init(_ kind: Kind, label: String, value: String) {
            self.kind = kind
            labelColumn = label
            valueColumn = value
        }
    }

    /// The report's name.
    public var name: String
    /// Its title.
    public var title: String
    /// The columns.
    public var columns: [Column]
    /// The rows, one value per column (`.null` where there is none).
    public var rows: [[Value]]
    /// The chart, if the report has one.
    public var chart: Chart?
    /// The arguments it ran with, as written, by parameter name (for headings).
    public var arguments: [(name: String, label: String, value: String)]
    /// Whether the last row is the totals row (合计), left out of charts.
    public var hasTotals: Bool

    /// Creates a table.
    public init(name: String, title: String, columns: [Column], rows: [[Value]], chart: Chart? = nil,
                arguments: [(name: String, label: String, value: String)] = [], hasTotals: Bool = false) {
        self.name = name
        self.title = title
        self.columns = columns
        self.rows = rows
        self.chart = chart
        self.arguments = arguments
        self.hasTotals = hasTotals
    }

    /// The rows a chart shows (without the totals row).
    public var chartRows: ArraySlice<[Value]> { hasTotals ? rows.dropLast() : rows[...] }

    /// The index of column `name`.
    public func columnIndex(_ name: String) -> Int? { columns.firstIndex { $0.name == name } }

    /// A cell as people read it: money and decimals with two places, rates with `%`.
    public static func text(_ value: Value, _ kind: ColumnKind) -> String {
        switch (value, kind) {
        case (.null, _): return ""
        case (_, .money), (_, .decimal):
            guard let d = value.decimalValue else { return value.description }
            return d.rounded(scale: 2).fixed(places: 2)
        case (_, .percent):
            guard let d = value.decimalValue else { return value.description }
            return d.rounded(scale: 2).fixed(places: 2) + "%"
        default: return value.description
        }
    }

    public static func == (a: ReportTable, b: ReportTable) -> Bool {
        a.name == b.name && a.title == b.title && a.columns == b.columns && a.rows == b.rows && a.chart == b.chart
            && a.arguments.map { [$0.name, $0.label, $0.value] } == b.arguments.map { [$0.name, $0.label, $0.value] }
    }

    public func hash(into h: inout Hasher) {
        h.combine(name)
        h.combine(columns)
        h.combine(rows)
    }
}

extension Decimal {
    /// The number written with exactly `places` decimals (`12.5` → `12.50`).
    public func fixed(places: Int) -> String {
        let plain = rounded(scale: places).plainString
        guard places > 0 else { return plain }
        let parts = plain.split(separator: ".", omittingEmptySubsequences: false)
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        return String(parts[0]) + "." + fraction.padding(toLength: places, withPad: "0", startingAt: 0)
    }
}

extension ReportTable {
    /// The table as aligned text, with the title and arguments above it (the `table` output, and
    /// the body of scheduled report e-mails).
    public var plainText: String {
        var out = title + "\n"
        for a in arguments { out += "\(a.label): \(a.value)\n" }
        let rows = self.rows.map { row in zip(row, columns).map { Self.text($0, $1.kind) } }
        out += TextTable.render(header: columns.map(\.label), rows: rows)
        return out
    }
}
