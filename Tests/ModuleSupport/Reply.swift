import CRMKernel
import Foundation
import Hummingbird
import HummingbirdTesting

/// A response of the API router read as text.
public struct Reply: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// The body as text.
    public var text: String
    /// The body as a JSON object (empty when it is not one).
    public var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
    /// The body's `data` object (empty when there is none).
    public var data: [String: Any] { object["data"] as? [String: Any] ?? [:] }
}

extension TestClientProtocol {
    /// Sends a JSON body (or none) as `token`'s user (none when nil).
    public func call(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil) async throws -> Reply {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }) { r in
            Reply(status: Int(r.status.code), text: String(buffer: r.body))
        }
    }
}

/// The kernel error `body` throws, or nil (nil too for any other error).
public func kernelError(_ body: () throws -> Void) -> KernelError? {
    do { try body(); return nil } catch let error as KernelError { return error } catch { return nil }
}
