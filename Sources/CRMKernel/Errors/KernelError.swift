/// A problem with one field of a record: which field, and what is wrong with it.
public struct FieldError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The field at fault (snake_case name as declared).
    public var field: String
    /// A message for people, naming what is wrong.
    public var message: String

    /// Creates a field error.
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// The one error type of the kernel: a kind, a message, and field errors where fields are at fault.
///
/// The HTTP layer maps `kind` to a status code in one place and the CLI maps it to an exit code.
public struct KernelError: Error, Sendable, CustomStringConvertible {
    /// What sort of failure this is.
    public enum Kind: String, Sendable, Codable {
        /// The entity, record, module or user does not exist.
        case notFound = "not_found"
        /// The input is invalid: wrong type, missing required field, rule rejected it.
        case validation
        /// The write conflicts with existing data: duplicate unique value, data-losing schema change.
        case conflict
        /// The acting user may not do this.
        case forbidden
        /// A company script failed (syntax, runtime error, limits).
        case scriptFailed = "script_failed"
        /// The request is not valid for the current state (module disabled, dependency missing).
        case invalidState = "invalid_state"
        /// Storage failed underneath (disk, corruption).
        case storage
        /// The record changed since the caller read it (its `version` is not the one expected).
        case staleVersion = "stale_version"
    }

    /// What sort of failure this is.
    public var kind: Kind
    /// One line for people.
    public var message: String
    /// The entity concerned, when there is one.
    public var entity: String?
    /// Field errors, when fields are at fault.
    public var fieldErrors: [FieldError]

    /// Creates an error.
    public init(_ kind: Kind, _ message: String, entity: String? = nil, fieldErrors: [FieldError] = []) {
        self.kind = kind
        self.message = message
        self.entity = entity
        self.fieldErrors = fieldErrors
    }

    public var description: String {
        guard !fieldErrors.isEmpty else { return message }
        let details = fieldErrors.map { fe in entity.map { "\($0).\(fe.field): \(fe.message)" } ?? fe.description }
        if fieldErrors.count == 1, message == Self.validationSummary { return details[0] }
        return message + " (" + details.joined(separator: "; ") + ")"
    }

    static let validationSummary = "invalid record"

    /// A validation error for one or more fields of an entity.
    public static func invalid(_ entity: String, _ errors: [FieldError]) -> KernelError {
        KernelError(.validation, validationSummary, entity: entity, fieldErrors: errors)
    }

    /// A validation error for one field.
    public static func invalid(_ entity: String, field: String, _ message: String) -> KernelError {
        invalid(entity, [FieldError(field: field, message: message)])
    }

    /// An unknown entity.
    public static func unknownEntity(_ name: String) -> KernelError {
        KernelError(.notFound, "unknown entity '\(name)'", entity: name)
    }

    /// A missing record.
    public static func recordNotFound(_ entity: String, _ id: Int64) -> KernelError {
        KernelError(.notFound, "\(entity) \(id) not found", entity: entity)
    }
}
