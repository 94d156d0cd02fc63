import CRMKernel
import Foundation
import Hummingbird

/// An error answered as `application/problem+json` (RFC 9457) with the field errors, if any.
public struct APIError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// One line for people.
    public var detail: String
    /// A short machine-readable kind (`validation`, `not-found`, `unauthorized` ...).
    public var type: String
    /// The fields at fault.
    public var fieldErrors: [FieldError]
    /// Extra headers (`WWW-Authenticate`, `Retry-After`).
    public var headers: HTTPFields

    /// Creates an error.
    public init(_ status: HTTPResponse.Status, _ detail: String, type: String? = nil, fieldErrors: [FieldError] = [], headers: HTTPFields = [:]) {
        self.status = status
        self.detail = detail
        self.type = type ?? Self.defaultType(status)
        self.fieldErrors = fieldErrors
        self.headers = headers
    }

    public var description: String { "\(status.code) \(type): \(detail)" }

    /// Kernel error kinds mapped to statuses, in one place.
    public init(_ error: KernelError) {
        let status: HTTPResponse.Status
        switch error.kind {
        case .validation: status = .badRequest
        case .notFound: status = .notFound
        case .conflict: status = .conflict
        case .forbidden: status = .forbidden
        case .scriptFailed: status = .unprocessableContent
        case .invalidState: status = .conflict
        case .storage: status = .serviceUnavailable
        case .staleVersion: status = .preconditionFailed
        }
        self.init(status, error.description, type: error.kind.rawValue.replacingOccurrences(of: "_", with: "-"), fieldErrors: error.fieldErrors)
    }

    /// Any error as an API error (unknown ones are 500s whose detail is logged, not sent).
    public static func from(_ error: any Error) -> APIError {
        switch error {
        case let e as APIError: return e
        case let e as KernelError: return APIError(e)
        default: return APIError(.internalServerError, "internal error", type: "internal")
        }
    }

    private static func defaultType(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: return "bad-request"
        case 401: return "unauthorized"
        case 403: return "forbidden"
        case 404: return "not-found"
        case 409: return "conflict"
        case 405: return "method-not-allowed"
        case 412: return "stale-version"
        case 413: return "too-large"
        case 415: return "unsupported-media-type"
        case 429: return "too-many-requests"
        default: return "error"
        }
    }

    /// The problem document.
    public var body: String {
        var w = JSONWriter()
        w.raw("{\"type\":")
        w.string("https://crm.local/problems/" + type)
        w.raw(",\"title\":")
        w.string(status.reasonPhrase)
        w.raw(",\"status\":\(status.code),\"detail\":")
        w.string(detail)
        if !fieldErrors.isEmpty {
            w.raw(",\"errors\":[")
            for (i, fe) in fieldErrors.enumerated() {
                if i > 0 { w.raw(",") }
                w.raw("{\"field\":")
                w.string(fe.field)
                w.raw(",\"message\":")
                w.string(fe.message)
                w.raw("}")
            }
            w.raw("]")
        }
        w.raw("}")
        return w.text
    }
}
