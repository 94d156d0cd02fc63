import CRMKernel
import Foundation

extension OpenAPIDocument {
    /// The routes enabled modules mount themselves (`PluginRoute`): signed-in ones the caller may
    /// call under `/api/v1/modules/<id>/…`, public ones under `/public/<id>/…` with no security and
    /// their 429.
    static func modulePaths(_ routes: [(module: String, route: PluginRoute)], access: AccessGuard) -> [String: Any] {
        var paths: [String: Any] = [:]
        for (module, route) in routes {
            if case .signedIn(let requires?) = route.audience, !access.isAdministrator,
               !access.allows(requires.action, on: requires.entity) { continue }
            let path = route.mountPath(module: module).split(separator: "/", omittingEmptySubsequences: false)
                .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            var operation: [String: Any] = ["tags": [module], "summary": route.summary]
            var parameters: [[String: Any]] = route.parameterNames.map {
                ["name": $0, "in": "path", "required": true, "schema": ["type": "string"]]
            }
            switch route.body {
            case .none: break
            case .json: operation["requestBody"] = body(["type": "object"])
            case .upload:
                operation["requestBody"] = ["required": true, "content": ["application/octet-stream": ["schema": ["type": "string", "format": "binary"]]]]
                parameters.append(["name": "name", "in": "query", "description": "the file name", "schema": ["type": "string"]])
            }
            if !parameters.isEmpty { operation["parameters"] = parameters }
            let answered: [String: Any] = ["description": "the route's answer: JSON, or a file to download",
                                           "content": ["application/json": ["schema": [String: Any]()], "*/*": ["schema": [String: Any]()]]]
            var responses = problems(route.isPublic ? [400, 403, 404, 409, 413, 415, 422, 429] : [400, 401, 403, 404, 409, 413, 415, 422])
            responses["2XX"] = answered
            operation["responses"] = responses
            if route.isPublic { operation["security"] = [[String: Any]]() }
            var item = paths[path] as? [String: Any] ?? [:]
            item[route.method.rawValue.lowercased()] = operation
            paths[path] = item
        }
        return paths
    }

    /// The `args` array of an action, item by item as its summary's call lists them
    /// (`FunctionSignature`); any array when the summary writes no call.
    static func actionArguments(_ summary: String) -> [String: Any] {
        guard let signature = FunctionSignature(summary: summary) else { return ["type": "array"] }
        var schema: [String: Any] = ["type": "array", "minItems": signature.minimum]
        if let maximum = signature.maximum { schema["maxItems"] = maximum }
        if !signature.arguments.isEmpty {
            schema["prefixItems"] = signature.arguments.map { argument -> [String: Any] in
                var item: [String: Any] = ["description": argument.text + (argument.optional ? " (optional)" : "")]
                switch argument.kind {
                case .identifier: item["type"] = "integer"
                case .table: item["type"] = ["object", "array"]
                case .oneOf(let words): item["enum"] = words
                case .any: break
                }
                return item
            }
        }
        return schema
    }
}
