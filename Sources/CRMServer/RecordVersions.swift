import CRMKernel
import Hummingbird

/// Record versions over HTTP: the `ETag` of a record is its `version` in quotes (`"3"`), sent on
/// GET and PATCH; `If-Match` on PATCH and DELETE makes the write conditional (412 when the
/// record moved on). `If-Match: *` and no header write unconditionally.
extension APIServer {
    /// The `ETag` header of `record`.
    static func etag(_ record: Record) -> HTTPFields {
        guard case .integer(let v) = record["version"] else { return [:] }
        return etag(version: v)
    }

    /// The `ETag` header of a record at `version` (none without one).
    static func etag(version: Int64?) -> HTTPFields {
        guard let version else { return [:] }
        return [.eTag: "\"\(version)\""]
    }

    /// The version `If-Match` asks for; nil without the header or with `*`. A tag that is no
    /// version of ours can never match: 412.
    static func expectedVersion(_ request: Request) throws -> Int64? {
        guard let header = request.headers[.ifMatch] else { return nil }
        var tag = Substring(header.trimmingCharacters(in: .whitespaces))
        if tag == "*" { return nil }
        if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
        if tag.hasPrefix("\""), tag.hasSuffix("\""), tag.count >= 2 { tag = tag.dropFirst().dropLast() }
        guard let version = Int64(tag) else {
            throw APIError(.preconditionFailed, "If-Match \(header) is not a version of this record (send the ETag of a GET)", type: "stale-version")
        }
        return version
    }
}
