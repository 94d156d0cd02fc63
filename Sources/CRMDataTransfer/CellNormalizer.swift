import CRMKernel
import Foundation

/// Turns spreadsheet cells into field values the kernel accepts: the rules CSV and .xlsx imports
/// share. Choices by value or label; dates as 2026-12-01, 2026/12/1, 2026.12.1, 2026年12月1日
/// or an Excel serial number; phones typed as numbers; money read from floating spreadsheet
/// numbers (`12.300000000000001`) kept to the field's scale. Anything else passes through for
/// the kernel to check, so messages stay the same as for any write.
public enum CellNormalizer {
    /// The value for `field` from `cell` (trimmed, non-empty), or a message saying why not.
    public static func value(_ cell: String, _ field: FieldDefinition) -> Result<Value, FieldError> {
        let text = field.type == .longText ? cell : cell.trimmingCharacters(in: .whitespacesAndNewlines)
        switch field.type {
        case .choice:
            return .success(.text(choice(text, field)))
        case .multiChoice, .tags:
            let parts = text.split(whereSeparator: { ",，;、".contains($0) }).map { choice($0.trimmingCharacters(in: .whitespaces), field) }
            return .success(.list(parts.filter { !$0.isEmpty }))
        case .date:
            guard let day = date(text) else {
                return .failure(FieldError(field: field.name, message: "'\(text)' is not a date (2026-12-01, 2026/12/1, 2026年12月1日 or an Excel date)"))
            }
            return .success(.text(day))
        case .datetime:
            if let serial = Double(text), text.allSatisfy({ $0.isNumber || $0 == "." }) {
                return .success(.datetime(Date(timeIntervalSince1970: (serial - 25569) * 86400)))
            }
            if let day = date(text) { return .success(.text(day + "T00:00:00Z")) }
            return .success(.text(text))
        case .phone:
            return .success(.text(text.hasSuffix(".0") && text.dropLast(2).allSatisfy(\.isNumber) ? String(text.dropLast(2)) : text))
        case .money, .decimal:
            let cleaned = text.replacingOccurrences(of: "¥", with: "").replacingOccurrences(of: "￥", with: "")
            if let d = Decimal(string: cleaned, locale: Locale(identifier: "en_US_POSIX")),
               cleaned.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" }) {
                let rounded = d.rounded(scale: field.scale)
                if abs(NSDecimalNumber(decimal: rounded - d).doubleValue) < 1e-9 { return .success(.text(rounded.plainString)) }
            }
            return .success(.text(cleaned))
        case .integer:
            return .success(.text(text.hasSuffix(".0") ? String(text.dropLast(2)) : text))
        default:
            return .success(.text(text))
        }
    }

    static func choice(_ text: String, _ field: FieldDefinition) -> String {
        guard !field.options.contains(where: { $0.value == text }) else { return text }
        let lower = text.lowercased()
        return field.options.first(where: { $0.label.zh == text || $0.label.en.lowercased() == lower })?.value ?? text
    }

    /// `YYYY-MM-DD` from the spellings people type, or from an Excel serial day number
    /// (days since 1899-12-30, the fraction — a time of day — dropped).
    public static func date(_ text: String) -> String? {
        if let serial = Double(text), text.allSatisfy({ $0.isNumber || $0 == "." }), serial >= 1, serial < 2_958_466 {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let day = Date(timeIntervalSince1970: (serial.rounded(.down) - 25569) * 86400)
            let c = calendar.dateComponents([.year, .month, .day], from: day)
            return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
        }
        var datePart = Substring(text)
        if let cut = text.firstIndex(where: { $0 == " " || $0 == "T" }) { datePart = text[..<cut] }
        let pieces = datePart.split(whereSeparator: { "-/.年月日".contains($0) })
        guard pieces.count == 3, pieces.allSatisfy({ $0.allSatisfy(\.isNumber) }),
              let y = Int(pieces[0]), let m = Int(pieces[1]), let d = Int(pieces[2]), pieces[0].count == 4 else { return nil }
        let iso = String(format: "%04d-%02d-%02d", y, m, d)
        return DateCoding.isValidDate(iso) ? iso : nil
    }
}
