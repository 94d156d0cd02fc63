import CRMKernel
import Foundation

extension APIServer {
    /// Calls module `module`'s public route (`method`, `path` as declared) the way the server
    /// serves it to a client at `clientAddress`: `404` while the module is disabled or for an
    /// unknown route, the route's per-address limit (`429`), the work on a worker thread. For the
    /// web interface's HTML forms that post the same data as the JSON route.
    public func callPublicRoute(module: String, _ method: PluginRoute.Method, _ path: String, parameters: [String: String],
                                json: ScriptValue?, clientAddress: String?) async throws -> RouteResponse {
        guard try host.workspace.enabledModules().contains(module),
              let plugin = host.workspace.registry.plugins.first(where: { $0.manifest.id == module }),
              let route = plugin.routes.first(where: { $0.method == method && $0.path == path }),
              case .anyone(let limit) = route.audience else {
            throw APIError(.notFound, "no public route \(method.rawValue) \(path) of module \(module)")
        }
        let key = "\(module) \(route.method.rawValue) \(route.path) \(clientAddress ?? "unknown")"
        if let wait = rateLimiter.admit(key, limit: limit) {
            throw APIError(.tooManyRequests, "too many requests; try again in \(wait) s", type: "rate-limited", headers: [.retryAfter: String(wait)])
        }
        let call = RouteRequest(workspace: host.workspace, user: .system, access: nil, parameters: parameters, query: [:], json: json)
        return try await blocking { try route.handle(call) }
    }
}
