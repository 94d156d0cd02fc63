import CRMKernel
import Foundation

/// How long an API token lives. Every new token expires: after `defaultDays` unless asked
/// otherwise, and never later than `maximumDays`. Tokens minted before expiries were required
/// keep the expiry they were given (possibly none) until revoked.
public enum TokenLifetime {
    /// Days an API token lives when no expiry is asked for.
    public static let defaultDays = 90
    /// The longest expiry that may be asked for, in days (ten years).
    public static let maximumDays = 3650

    /// The expiry of a token minted at `now` that lives `days` days (nil: `defaultDays`).
    /// A count outside 1...`maximumDays` is a validation error on `field` (the option or JSON
    /// key the caller used, so the message names it).
    public static func expiry(days: Int?, field: String, now: Date = Date()) throws(KernelError) -> Date {
        let days = days ?? defaultDays
        guard (1...maximumDays).contains(days) else { throw invalid(field) }
        return now.addingTimeInterval(Double(days) * 86_400)
    }

    /// The validation error for a nonsensical expiry given as `field`.
    public static func invalid(_ field: String) -> KernelError {
        let message = "must be a whole number of days from 1 to \(maximumDays) (default \(defaultDays))"
        return KernelError(.validation, "\(field) \(message)", fieldErrors: [FieldError(field: field, message: message)])
    }
}
