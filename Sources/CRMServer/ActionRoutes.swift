import CRMKernel
import Foundation
import Hummingbird

/// `POST /api/v1/actions/{plugin}/{function}` with `{"args": [...]}`: every enabled plugin's
/// script functions (claim a customer, move an opportunity, merge, reports) over HTTP, with
/// the same arguments as in Lua and the permission each function declares.
extension APIServer {
    func addActionRoutes(_ router: Router<CRMRequestContext>) {
        router.get("/api/v1/actions") { request, context in
            await self.authed(request, context) { p in
                var w = JSONWriter()
                w.raw("{\"data\":[")
                for (i, f) in self.actionList(p).enumerated() {
                    if i > 0 { w.raw(",") }
                    w.raw("{\"path\":"); w.string(f.path)
                    w.raw(",\"summary\":"); w.string(f.summary)
                    w.raw("}")
                }
                w.raw("]}")
                return Self.json(.ok, w)
            }
        }
        router.post("/api/v1/actions/:plugin/:function") { request, context in
            let plugin = try context.parameters.require("plugin"), name = try context.parameters.require("function")
            return await self.respond {
                _ = try self.principal(request)  // 401 before the body is read
                let raw = try await self.rawBody(request)
                let args: [ScriptValue]
                if raw.readableBytes == 0 { args = [] } else {
                    switch try JSONValue.parse(Data(raw.readableBytesView)) {
                    case .array(let a): args = a.map(\.scriptValue)
                    case .object(let o):
                        guard case .array(let a)? = o["args"] else { throw APIError(.badRequest, "the body must be {\"args\": [...]}", fieldErrors: [FieldError(field: "args", message: "expected an array")]) }
                        args = a.map(\.scriptValue)
                    default: throw APIError(.badRequest, "the body must be {\"args\": [...]}")
                    }
                }
                return await self.authed(request, context) { p in try self.call(plugin, name, args, p) }
            }
        }
    }

    /// The actions the caller may call, as `(path, summary)`.
    func actionList(_ p: Principal) -> [(path: String, summary: String)] {
        let enabled = Set((try? host.workspace.enabledModules()) ?? [])
        return host.workspace.registry.plugins.filter { enabled.contains($0.manifest.id) }.flatMap { plugin in
            plugin.scriptFunctions.filter { f in
                p.access.isAdministrator || f.access.map { p.access.allows($0.action, on: $0.entity) } == true
            }.map { ("/api/v1/actions/\(plugin.manifest.id)/\($0.name)", $0.summary) }
        }
    }

    func call(_ pluginID: String, _ name: String, _ args: [ScriptValue], _ p: Principal) throws -> Response {
        let result = try callAction(pluginID, name, args, as: p)
        var w = JSONWriter()
        w.raw("{\"result\":")
        w.script(result, schema: store.schema, hidden: { p.access.hiddenFields($0) })
        w.raw("}")
        return Self.json(.ok, w)
    }

    /// Calls an enabled module's script function as `p`, with the permission it declares (the
    /// web interface's pool and merge pages use this); not found when the module is off.
    public func callAction(_ pluginID: String, _ name: String, _ args: [ScriptValue], as p: Principal) throws -> ScriptValue {
        guard try host.workspace.enabledModules().contains(pluginID),
              let function = host.workspace.registry.plugin(pluginID)?.scriptFunctions.first(where: { $0.name == name }) else {
            throw APIError(.notFound, "no action \(pluginID).\(name) among the enabled modules")
        }
        try function.checkArguments(args, qualifiedName: "crm.\(pluginID).\(name)")
        try store.read { try p.access.authorize(function, qualifiedName: "\(pluginID).\(name)", arguments: args, reader: $0) }
        return try function.body(ScriptCall(arguments: args, user: p.user, store: store, transaction: nil,
                                            directory: host.workspace.directory, access: p.access))
    }
}
