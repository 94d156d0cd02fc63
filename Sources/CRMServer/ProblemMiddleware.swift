import Hummingbird
import NIOCore

/// The outermost middleware: whatever goes wrong, the answer is problem+json.
///
/// - a method the API never serves (TRACE, CONNECT, ...) is 405 with `Allow`;
/// - an error that escaped a route (the router's 404 for an unknown path or method, a
///   Hummingbird `HTTPError`) becomes the matching problem document instead of an empty body.
struct ProblemMiddleware: RouterMiddleware {
    /// The methods some route serves.
    static let allowed: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .options]
    static let allowHeader = allowed.map(\.rawValue).joined(separator: ", ")

    func handle(_ request: Request, context: CRMRequestContext, next: (Request, CRMRequestContext) async throws -> Response) async throws -> Response {
        guard Self.allowed.contains(request.method) else {
            return Self.problem(APIError(.methodNotAllowed, "the method \(request.method.rawValue) is not served; use \(Self.allowHeader)",
                                         headers: [.allow: Self.allowHeader]))
        }
        do { return try await next(request, context) } catch let error as any HTTPResponseError {
            let detail = error.status == .notFound
                ? "nothing at \(request.method.rawValue) \(Self.shortPath(request)) (see /api/v1/openapi.json)"
                : error.status.reasonPhrase
            return Self.problem(APIError(error.status, detail))
        } catch {
            return Self.problem(APIError.from(error))
        }
    }

    /// The path, cut short when long (a 64 KB path is not echoed back whole).
    static func shortPath(_ request: Request) -> String {
        let path = request.uri.path
        return path.count > 200 ? String(path.prefix(200)) + "…" : path
    }

    /// `error` as a problem+json response.
    static func problem(_ error: APIError) -> Response {
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        headers.append(contentsOf: error.headers)
        return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: error.body)))
    }
}
