import CRMKernel
import Foundation

/// The body of `POST /api/v1/tokens`: `{"label": "erp", "expires_in_days": 30, "user": "lina"}`,
/// every key optional. Anything else, or a key of the wrong type, is a 400 naming the key.
struct TokenRequest {
    /// The login name the token signs in (default: the caller).
    var user: String
    /// What the token is for (default `api`).
    var label: String
    /// When it expires (default `TokenLifetime.defaultDays` from now).
    var expiresAt: Date

    static let keys: Set<String> = ["label", "expires_in_days", "user"]
    static let maxLabelLength = 100

    init(_ body: [String: JSONValue], caller: String, now: Date = Date()) throws {
        if let unknown = body.keys.sorted().first(where: { !Self.keys.contains($0) }) {
            throw APIError(.badRequest, "unknown key '\(unknown)' (known: expires_in_days, label, user)",
                           fieldErrors: [FieldError(field: unknown, message: "unknown key")])
        }
        switch body["user"] {
        case nil, .null?: user = caller
        case .string(let name)?: user = name
        default: throw Self.wrongType("user", "a login name")
        }
        switch body["label"] {
        case nil, .null?: label = "api"
        case .string(let text)? where !text.isEmpty && text.count <= Self.maxLabelLength: label = text
        default: throw Self.wrongType("label", "text of 1 to \(Self.maxLabelLength) characters")
        }
        var days: Int? = nil
        switch body["expires_in_days"] {
        case nil, .null?: break
        case .integer(let n)? where n >= 1 && n <= Int64(TokenLifetime.maximumDays): days = Int(n)
        default: throw TokenLifetime.invalid("expires_in_days")
        }
        expiresAt = try TokenLifetime.expiry(days: days, field: "expires_in_days", now: now)
    }

    static func wrongType(_ key: String, _ expected: String) -> APIError {
        APIError(.badRequest, "\(key) must be \(expected)", fieldErrors: [FieldError(field: key, message: "must be \(expected)")])
    }
}
