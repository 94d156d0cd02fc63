import Foundation

/// A numbering pattern such as `HT-{yyyyMMdd}-{seq:4}`: literal text, date tokens and exactly one
/// counter.
///
/// Tokens are written in braces:
/// - a date made of the letters `yyyy`, `yy`, `MM`, `dd` in any order and combination
///   (`{yyyyMMdd}`, `{yyyy}`, `{yyMM}`), formatted in the workspace time zone;
/// - `{seq}` or `{seq:N}`: the counter, zero-padded to at least N digits (1…12; default 1).
///
/// The counter restarts for every distinct rendering of the rest of the pattern: with
/// `{yyyyMMdd}` it restarts each day, with `{yyyyMM}` each month, without a date never.
/// Literal text may not contain `{` or `}`; the whole pattern is at most 64 characters.
public struct SequencePattern: Sendable, Hashable, CustomStringConvertible {
    /// One part of a pattern.
    enum Part: Sendable, Hashable {
        case literal(String)
        case date(String)
        case counter(width: Int)
    }

    /// The pattern as written.
    public let text: String
    let parts: [Part]

    /// The longest pattern accepted.
    public static let maxLength = 64

    /// Parses `text`; throws a validation error naming what is wrong.
    public init(_ text: String) throws(KernelError) {
        func bad(_ message: String) -> KernelError {
            KernelError(.validation, "invalid sequence pattern '\(text)': \(message)")
        }
        guard !text.isEmpty else { throw bad("it is empty") }
        guard text.count <= Self.maxLength else { throw bad("longer than \(Self.maxLength) characters") }
        var parts: [Part] = [], literal = "", rest = Substring(text)
        var counters = 0
        while let c = rest.first {
            rest = rest.dropFirst()
            if c == "}" { throw bad("'}' without '{'") }
            guard c == "{" else { literal.append(c); continue }
            guard let close = rest.firstIndex(of: "}") else { throw bad("'{' without '}'") }
            let token = String(rest[..<close])
            rest = rest[rest.index(after: close)...]
            if !literal.isEmpty { parts.append(.literal(literal)); literal = "" }
            if token == "seq" || token.hasPrefix("seq:") {
                let width = token == "seq" ? 1 : Int(token.dropFirst(4)) ?? 0
                guard (1...12).contains(width) else { throw bad("{\(token)}: the width must be a number from 1 to 12") }
                counters += 1
                parts.append(.counter(width: width))
            } else if Self.isDateToken(token) {
                parts.append(.date(token))
            } else {
                throw bad("unknown token {\(token)} (known: {seq}, {seq:N} and dates such as {yyyyMMdd}, {yyyy}, {yyMM})")
            }
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        guard counters == 1 else { throw bad(counters == 0 ? "it has no {seq} counter" : "it has more than one {seq} counter") }
        self.text = text
        self.parts = parts
    }

    /// Whether `token` is a date made of `yyyy`, `yy`, `MM` and `dd` runs.
    static func isDateToken(_ token: String) -> Bool {
        var rest = Substring(token)
        guard !rest.isEmpty else { return false }
        while !rest.isEmpty {
            if rest.hasPrefix("yyyy") { rest = rest.dropFirst(4) }
            else if rest.hasPrefix("yy") || rest.hasPrefix("MM") || rest.hasPrefix("dd") { rest = rest.dropFirst(2) }
            else { return false }
        }
        return true
    }

    public var description: String { text }

    /// Whether the counter restarts with the date (the pattern has a date token).
    public var resetsWithDate: Bool { parts.contains { if case .date = $0 { true } else { false } } }

    /// The period key: the pattern rendered at `date` with the counter left as `{seq}`. Numbers
    /// with the same key share a counter.
    public func period(at date: Date, calendar: Calendar) -> String {
        render(at: date, calendar: calendar, counter: nil)
    }

    /// The number for `counter` at `date`, dates in `calendar`'s time zone.
    public func format(_ counter: Int64, at date: Date, calendar: Calendar) -> String {
        render(at: date, calendar: calendar, counter: counter)
    }

    private func render(at date: Date, calendar: Calendar, counter: Int64?) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        var out = ""
        for part in parts {
            switch part {
            case .literal(let s): out += s
            case .counter(let width):
                guard let counter else { out += "{seq}"; continue }
                let digits = String(counter)
                out += String(repeating: "0", count: max(0, width - digits.count)) + digits
            case .date(let token):
                var rest = Substring(token)
                while !rest.isEmpty {
                    if rest.hasPrefix("yyyy") { out += Self.pad(c.year ?? 0, 4); rest = rest.dropFirst(4) }
                    else if rest.hasPrefix("yy") { out += Self.pad((c.year ?? 0) % 100, 2); rest = rest.dropFirst(2) }
                    else if rest.hasPrefix("MM") { out += Self.pad(c.month ?? 0, 2); rest = rest.dropFirst(2) }
                    else { out += Self.pad(c.day ?? 0, 2); rest = rest.dropFirst(2) }
                }
            }
        }
        return out
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
