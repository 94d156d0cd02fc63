import CRMKernel
import Foundation
import Hummingbird
import NIOCore

/// Mounts every plugin's own routes (`PluginRoute`): signed-in ones under
/// `/api/v1/modules/<id>/`, public ones under `/public/<id>/` with their rate limit. A route of
/// a disabled module answers 404, like a path that does not exist.
extension APIServer {
    func addModuleRoutes(_ router: Router<CRMRequestContext>) {
        for plugin in host.workspace.registry.plugins {
            let module = plugin.manifest.id
            for route in plugin.routes {
                guard let method = HTTPRequest.Method(route.method.rawValue) else { continue }
                for path in [route.mountPath(module: module)] + (route.alias.map { [$0] } ?? []) {
                    router.on(RouterPath(path), method: method) { request, context in
                        await self.respond { try await self.serve(route, of: module, request, context) }
                    }
                }
            }
        }
    }

    /// The routes of the enabled modules, for the OpenAPI document.
    func moduleRouteList() -> [(module: String, route: PluginRoute)] {
        let enabled = Set((try? host.workspace.enabledModules()) ?? [])
        return host.workspace.registry.plugins.filter { enabled.contains($0.manifest.id) }.flatMap { plugin in
            plugin.routes.map { (plugin.manifest.id, $0) }
        }
    }

    /// Checks the module, the caller and the body, runs the route's work on a worker thread and
    /// answers it.
    func serve(_ route: PluginRoute, of module: String, _ request: Request, _ context: CRMRequestContext) async throws -> Response {
        guard try host.workspace.enabledModules().contains(module) else {
            throw APIError(.notFound, "no route \(request.method.rawValue) \(request.uri.path) among the enabled modules")
        }
        var user = ActingUser.system
        var access: AccessGuard?
        switch route.audience {
        case .signedIn(let requires):
            let p = try principal(request)
            if let requires, !p.access.isAdministrator { try p.access.require(requires.action, on: requires.entity) }
            user = p.user
            access = p.access.isAdministrator ? nil : p.access
        case .anyone(let limit):
            let key = "\(module) \(route.method.rawValue) \(route.path) \(context.clientAddress ?? "unknown")"
            if let wait = rateLimiter.admit(key, limit: limit) {
                throw APIError(.tooManyRequests, "too many requests; try again in \(wait) s", type: "rate-limited",
                               headers: [.retryAfter: String(wait)])
            }
        }
        var parameters: [String: String] = [:]
        for name in route.parameterNames { parameters[name] = context.parameters.get(name) }
        var query: [String: String] = [:]
        for (name, value) in request.uri.queryParameters { query[String(name)] = String(value) }
        var json: ScriptValue?
        var file: UploadedFile?
        var fields: [String: String] = [:]
        switch route.body {
        case .none: break
        case .json:
            // A plain HTML form posts application/x-www-form-urlencoded: its fields arrive as text.
            if let type = request.headers[.contentType], type.lowercased().hasPrefix("application/x-www-form-urlencoded") {
                json = try Self.formFields(Data(try await rawBody(request).readableBytesView))
            } else {
                json = try await body(request).scriptValue
            }
        case .upload:
            let raw = Data(try await rawBody(request).readableBytesView)
            let contentType = request.headers[.contentType]
            if let contentType, contentType.lowercased().hasPrefix("multipart/form-data") {
                let form = try MultipartForm(body: raw, contentType: contentType)
                file = form.file
                fields = form.fields
            } else if !raw.isEmpty {
                file = UploadedFile(name: query["name"] ?? "", contentType: contentType, data: raw)
            }
        }
        let call = RouteRequest(workspace: host.workspace, user: user, access: access, parameters: parameters, query: query,
                                json: json, file: file, fields: fields)
        let answer = try await blocking { try route.handle(call) }
        return render(answer, access: access)
    }

    /// A URL-encoded form body as a table of text values (`+` is a space); a malformed one is a 400.
    static func formFields(_ data: Data) throws -> ScriptValue {
        guard let text = String(data: data, encoding: .utf8) else { throw APIError(.badRequest, "the form body is not UTF-8") }
        var fields: [String: ScriptValue] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = String(parts[0]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding, !name.isEmpty,
                  let value = (parts.count > 1 ? String(parts[1]) : "").replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
                throw APIError(.badRequest, "the form body is not valid application/x-www-form-urlencoded")
            }
            if fields[name] != nil {
                throw APIError(.badRequest, "form field '\(name)' is given twice", fieldErrors: [FieldError(field: name, message: "given twice")])
            }
            fields[name] = .value(.text(value))
        }
        return .table(fields)
    }

    /// A route's answer as an HTTP response: JSON (records without the caller's hidden fields)
    /// or a file download.
    func render(_ answer: RouteResponse, access: AccessGuard?) -> Response {
        let status = HTTPResponse.Status(code: answer.status)
        switch answer.body {
        case .json(let value):
            var w = JSONWriter()
            w.raw("{\"data\":")
            w.script(value, schema: store.schema, hidden: { access?.hiddenFields($0) ?? [] })
            w.raw("}")
            return Self.json(status, w)
        case .file(let data, let contentType, let fileName):
            let headers: HTTPFields = [.contentType: contentType, .contentDisposition: Self.contentDisposition(fileName)]
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }

    /// `attachment; filename="<ascii>"; filename*=UTF-8''<percent-encoded>` (RFC 6266).
    static func contentDisposition(_ name: String) -> String {
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 0x20 ? Character($0) : "_" })
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let encoded = name.addingPercentEncoding(withAllowedCharacters: allowed) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}
