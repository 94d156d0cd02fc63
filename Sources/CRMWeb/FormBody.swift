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

    static func decode(_ part: Substring) -> String {
        let spaced = part.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// `value` percent-encoded for a query string.
    public static func encode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
