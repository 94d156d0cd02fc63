/// The minimum a password must meet, on every path that sets one (CLI `crm user add` and
/// `crm user passwd`, the HTTP API): a minimum length (the company setting
/// `password.min_length`, default 8, never below 8), not only white space, not containing
/// the user's name, and not one of the commonest passwords.
public struct PasswordPolicy: Sendable {
    /// The workspace setting holding the company's minimum length.
    public static let minLengthSetting = "password.min_length"
    /// The floor no setting goes below.
    public static let defaultMinLength = 8
    /// The commonest passwords (from public breach lists), compared case-insensitively.
    static let common: Set<String> = [
        "password", "password1", "password12", "password123", "passw0rd", "12345678", "123456789", "1234567890",
        "11111111", "00000000", "88888888", "66666666", "12341234", "87654321", "qwertyui", "qwerty123",
        "qwertyuiop", "1q2w3e4r", "1qaz2wsx", "abc12345", "abcd1234", "iloveyou", "sunshine", "princess",
        "football", "baseball", "welcome1", "admin123", "administrator", "letmein1", "trustno1", "aa123456",
        "a1234567", "asdfghjk", "zxcvbnm1", "woaini1314", "5201314520", "changeme", "p@ssw0rd", "superman",
    ]

    /// The shortest password accepted.
    public var minLength: Int

    /// Creates a policy (lengths under 8 are raised to 8).
    public init(minLength: Int = PasswordPolicy.defaultMinLength) {
        self.minLength = max(Self.defaultMinLength, minLength)
    }

    /// The policy the workspace of `store` has set.
    public static func of(_ store: RecordStore) throws -> PasswordPolicy {
        PasswordPolicy(minLength: try store.setting(minLengthSetting).flatMap { Int($0) } ?? defaultMinLength)
    }

    /// Refuses `password` for the user `userName` with a field error on `field`.
    public func check(_ password: String, userName: String, field: String = "password") throws(KernelError) {
        func refuse(_ message: String) -> KernelError {
            KernelError(.validation, "the password is too weak: \(message)", fieldErrors: [FieldError(field: field, message: message)])
        }
        guard password.count >= minLength else { throw refuse("at least \(minLength) characters") }
        guard password.contains(where: { !$0.isWhitespace }) else { throw refuse("not only spaces") }
        let lower = password.lowercased()
        let name = userName.lowercased()
        guard name.isEmpty || (name.count >= 3 ? !lower.contains(name) : lower != name) else { throw refuse("not containing the user name") }
        guard !Self.common.contains(lower) else { throw refuse("one of the commonest passwords") }
    }
}
