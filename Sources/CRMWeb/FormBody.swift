import Foundation

/// A form posted as `application/x-www-form-urlencoded` (or a query string): every name with
/// its values in order.
public struct FormBody: Sendable {
    /// Values by name (a name may repeat: checkboxes).
    public private(set) var values: [String: [String]] = [:]
    /// Names in the order they first came.
    public private(set) var order: [String] = []

    /// Parses `a=1&b=x+y&b=%E4%B8%AD`.
    public init(_ encoded: String) {
        for pair in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0]), value = parts.count > 1 ? Self.decode(parts[1]) : ""
            if values[name] == nil { order.append(name) }
            values[name, default: []].append(value)
        }
    }

    /// Replaces every value of `name` with `value`.
    public mutating func set(_ name: String, _ value: String) {
        if values[name] == nil { order.append(name) }
        values[name] = [value]
    }

    /// Removes `name`.
    public mutating func remove(_ name: String) {
        values[name] = nil
        order.removeAll { $0 == name }
    }

    /// The form encoded again as a query string.
    public var encoded: String {
        order.flatMap { name in (values[name] ?? []).map { "\(Self.encode(name))=\(Self.encode($0))" } }.joined(separator: "&")
    }

    /// The first value of `name`.
    public subscript(_ name: String) -> String? { values[name]?.first }

    /// All values of `name`.
    public func all(_ name: String) -> [String] { values[name] ?? [] }

    /// `part` with `+` as a space and `%XX` escapes decoded; when an escape is malformed or the
    /// bytes are not UTF-8, the part with only `+` replaced (as Foundation's
    /// `removingPercentEncoding` did, which this replaces: it cost a character set per call).
    static func decode(_ part: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(part.utf8.count)
        var malformed = false
        var i = part.utf8.startIndex
        let end = part.utf8.endIndex
        while i < end {
            let byte = part.utf8[i]
            if byte == 43 {  // +
                bytes.append(32)
            } else if byte == 37 {  // %
                let h = part.utf8.index(after: i)
                guard h < end, part.utf8.index(after: h) < end, let high = hexValue(part.utf8[h]),
                      let low = hexValue(part.utf8[part.utf8.index(after: h)]) else {
                    malformed = true
                    break
                }
                bytes.append(high << 4 | low)
                i = part.utf8.index(h, offsetBy: 2)
                continue
            } else {
                bytes.append(byte)
            }
            i = part.utf8.index(after: i)
        }
        if !malformed, let text = String(validating: bytes, as: UTF8.self) { return text }
        return part.replacingOccurrences(of: "+", with: " ")
    }

    /// `value` percent-encoded for a query string: every byte but the unreserved ASCII
    /// `A-Z a-z 0-9 - . _ ~` as `%XX` (upper-case hex).
    public static func encode(_ value: String) -> String {
        let utf8 = value.utf8
        guard utf8.contains(where: { !isUnreserved($0) }) else { return value }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count * 3)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in utf8 {
            if isUnreserved(byte) {
                out.append(byte)
            } else {
                out.append(37)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 15)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether an ASCII byte stays as it is in a query string.
    static func isUnreserved(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 45 || byte == 46 || byte == 95 || byte == 126
    }

    /// The value of a hex digit, either case.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: byte - 48
        case 65...70: byte - 55
        case 97...102: byte - 87
        default: nil
        }
    }
}
