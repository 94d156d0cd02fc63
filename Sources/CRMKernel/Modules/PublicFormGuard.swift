import Foundation

/// The bot checks every public form shares (lead capture, ticket forms): a honeypot field a
/// person leaves empty and a minimum time between showing the form and posting it. The
/// per-address rate limit is the route's (`PluginRoute.Audience.anyone(limit:)`).
public struct PublicFormGuard: Sendable, Hashable {
    /// The post field carrying when the form was shown (Unix seconds).
    public static let startedField = "_started"

    /// A hidden field a person leaves empty; nil: no honeypot.
    public var honeypot: String?
    /// Seconds a person needs at least; 0: not checked.
    public var minFillSeconds: Int

    /// Creates a guard.
    public init(honeypot: String?, minFillSeconds: Int) {
        self.honeypot = honeypot
        self.minFillSeconds = minFillSeconds
    }

    /// Whether the fields are the guard's own (not form data).
    public func isGuardField(_ name: String) -> Bool { name == honeypot || name == Self.startedField }

    /// Why `post` is a bot's (`honeypot`, `no fill time`, `filled too fast`), or nil for a person's.
    public func botReason(_ post: [String: String], now: Date) -> String? {
        if let honeypot, !(post[honeypot] ?? "").isEmpty { return "honeypot" }
        guard minFillSeconds > 0 else { return nil }
        guard let started = post[Self.startedField].flatMap(Double.init) else { return "no fill time" }
        return now.timeIntervalSince1970 - started < Double(minFillSeconds) ? "filled too fast" : nil
    }

    /// A JSON object's values as text (numbers written out, null as empty); a nested value is
    /// an error naming its field.
    public static func textFields(_ json: ScriptValue?) throws -> [String: String] {
        guard case .table(let body) = json ?? .null else {
            throw KernelError(.validation, "expects a JSON object of the form's fields")
        }
        var post: [String: String] = [:]
        for (key, value) in body {
            switch value {
            case .value(.text(let t)): post[key] = t
            case .value(.integer(let i)): post[key] = String(i)
            case .value(.decimal(let d)): post[key] = d.plainString
            case .value(.real(let r)): post[key] = String(r)
            case .value(.null): post[key] = ""
            default: throw KernelError(.validation, "\(key): expects text", fieldErrors: [FieldError(field: key, message: "expects text")])
            }
        }
        return post
    }

    /// Whether `value` carries HTML markup (refused in public posts).
    public static func looksLikeHTML(_ value: String) -> Bool {
        // `<` followed by an ASCII letter, `/` or `!`, scanned byte by byte: both are ASCII, so
        // in UTF-8 the byte after `<` is that character (a regular expression was compiled
        // for every value, a tenth of a lead capture's time).
        var afterOpen = false
        for byte in value.utf8 {
            if afterOpen {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "/"), UInt8(ascii: "!"): return true
                default: break
                }
            }
            afterOpen = byte == UInt8(ascii: "<")
        }
        return false
    }
}
