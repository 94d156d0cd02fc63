import CRMKernel
import CRMServer
import Foundation
import Hummingbird

/// What a refused form action tells the page it re-renders: the module, the message, the
/// field errors, the fields as posted, and the page (path and query) the form came from.
struct ActionFailure: Sendable {
    var module: String
    var message: String
    var fieldErrors: [FieldError]
    var posted: [String: String]
    var back: String
}

/// `POST /do/<module>/<function>`: the one route module page forms post to. It checks the CSRF
/// token and the one-time form token (`_token`: a second post of the same form goes where the
/// first went), maps the form's fields to the function's arguments as its summary names them
/// (`FunctionSignature`), calls it as the user (the access the function declares, as over the
/// API), then redirects to `next` (a local path only; `{id}` in it becomes the id of the record
/// the function returned) with `saved=1`. A refusal re-renders the page the form came from
/// (`_back`, else `next`) with the error at status 422.
///
/// Fields: an argument is named by its summary name (`id`, `quote_id`, `reason`) or by position
/// (`arg1`, `arg2` …); a table argument gathers `<name>.<key>` fields and every field that names
/// no argument; a function whose summary is a table call (`crm.finance.installments{…}`) takes
/// every field as its one table. Table members are text, or a whole number or boolean when the
/// field's name ends in `:int` or `:bool`. Fields starting with `_` and `next` are the route's own.
extension WebApp {
    func addModuleActionRoute(_ router: Router<CRMRequestContext>) {
        router.post("/do/:module/:function") { request, context in
            let module = context.parameters.get("module") ?? "", name = context.parameters.get("function") ?? ""
            return await self.post(request) { web, p, form in
                guard try self.server.host.workspace.enabledModules().contains(module),
                      let function = self.server.host.workspace.registry.plugin(module)?.scriptFunctions.first(where: { $0.name == name }) else {
                    throw KernelError(.notFound, "no action \(module).\(name)")
                }
                guard let next = form["next"], WebResponse.isLocal(next) else {
                    throw KernelError(.validation, "next must be a path of this site", fieldErrors: [FieldError(field: "next", message: "a local path such as /customers/pool")])
                }
                guard let token = form["_token"], !token.isEmpty else {
                    throw KernelError(.validation, "the form has no one-time token (_token); reload the page", fieldErrors: [FieldError(field: "_token", message: "required")])
                }
                switch self.formTokens.claim(token) {
                case .done(let location): return WebResponse.redirect(location)
                case .pending: throw KernelError(.conflict, "this form is being sent already")
                case .claimed: break
                }
                do {
                    let args = try Self.actionArguments(form, function)
                    let result = try self.server.callAction(module, name, args, as: p)
                    let location = Self.savedLocation(next, result: result)
                    self.formTokens.finish(token, location: location)
                    return WebResponse.redirect(location)
                } catch {
                    self.formTokens.release(token)
                    let api = APIError.from(error)
                    guard api.status != .notFound && api.status != .forbidden || !api.fieldErrors.isEmpty else { throw error }
                    var posted: [String: String] = [:]
                    for field in form.order where !field.hasPrefix("_") { posted[field] = form[field] }
                    let back = form["_back"].flatMap { WebResponse.isLocal($0) ? $0 : nil } ?? next
                    return try self.refusedAction(web, p, ActionFailure(module: module, message: api.detail, fieldErrors: api.fieldErrors,
                                                                        posted: posted, back: back))
                }
            }
        }
    }

    /// `next` with `saved=1` (before any `#anchor`), `{id}` replaced by the id of the record
    /// the function returned.
    static func savedLocation(_ next: String, result: ScriptValue) -> String {
        var path = next
        if path.contains("{id}") {
            var id: Int64?
            if case .record(let r) = result { id = r.id } else if let i = result.integer { id = i } else if let i = result.fields?["id"]?.integer { id = i }
            path = path.replacingOccurrences(of: "{id}", with: id.map(String.init) ?? "")
        }
        let parts = path.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let base = String(parts[0]), anchor = parts.count > 1 ? "#" + parts[1] : ""
        return base + (base.contains("?") ? "&" : "?") + "saved=1" + anchor
    }

    /// The function's arguments from the form, by the names its summary gives them; the fields
    /// that name no argument go into its first table argument (`{quantity, discount, ...}`).
    static func actionArguments(_ form: FormBody, _ function: ScriptFunction) throws -> [ScriptValue] {
        let fields = form.order.filter { !$0.hasPrefix("_") && $0 != "next" }
        guard let signature = function.signature else {
            var table: [String: ScriptValue] = [:]
            for field in fields {
                if let v = form[field], !v.isEmpty {
                    let (key, value) = try typed(field, v)
                    table[key] = value
                }
            }
            return table.isEmpty ? [] : [.table(table)]
        }
        var args: [ScriptValue] = [], used = Set<String>()
        func table(_ names: [String]) throws -> [String: ScriptValue] {
            var out: [String: ScriptValue] = [:]
            for f in fields {
                guard let dot = f.firstIndex(of: "."), names.contains(String(f[..<dot])) else { continue }
                used.insert(f)
                if let v = form[f], !v.isEmpty {
                    let (key, value) = try typed(String(f[f.index(after: dot)...]), v)
                    out[key] = value
                }
            }
            return out
        }
        for (index, argument) in signature.arguments.enumerated() {
            let names = [argumentName(argument.text), "arg\(index + 1)"].compactMap { $0 }
            let members = try table(names)
            let name = names.first { form[$0] != nil }
            if let name { used.insert(name) }
            let text = name.flatMap { form[$0] }.flatMap { $0.isEmpty ? nil : $0 }
            switch argument.kind {
            case .identifier:
                guard let text else { args.append(.null); continue }
                guard let id = Int64(text.trimmingCharacters(in: .whitespaces)) else {
                    throw KernelError(.validation, "\(names[0]) must be a record id", fieldErrors: [FieldError(field: names[0], message: "expects a record id")])
                }
                args.append(.value(.integer(id)))
            case .table: args.append(members.isEmpty ? .null : .table(members))
            case .oneOf, .any: args.append(!members.isEmpty ? .table(members) : text.map { .value(.text($0)) } ?? .null)
            }
        }
        if let index = signature.arguments.firstIndex(where: { $0.kind == .table }) {
            var members = args[index].fields ?? [:]
            for f in fields where !used.contains(f) {
                guard let v = form[f], !v.isEmpty else { continue }
                let (key, value) = try typed(f, v)
                if members[key] == nil { members[key] = value }
            }
            if !members.isEmpty { args[index] = .table(members) }
        }
        while args.last == .null { args.removeLast() }
        return args
    }

    /// A table member from a form field: text, or by the name's suffix a whole number
    /// (`template:int`) or a boolean (`internal:bool`: `1`, `true`, `on` are true).
    static func typed(_ name: String, _ text: String) throws -> (String, ScriptValue) {
        if name.hasSuffix(":int") {
            let key = String(name.dropLast(4))
            guard let n = Int64(text.trimmingCharacters(in: .whitespaces)) else {
                throw KernelError(.validation, "\(key) must be a whole number", fieldErrors: [FieldError(field: key, message: "expects a whole number")])
            }
            return (key, .value(.integer(n)))
        }
        if name.hasSuffix(":bool") { return (String(name.dropLast(5)), .value(.bool(["1", "true", "on", "yes"].contains(text.lowercased())))) }
        return (name, .value(.text(text)))
    }

    /// The form name of an argument its summary writes as a plain name (`quote_id`, `reason`,
    /// `{fields}` → `fields`); nil for literals and descriptions.
    static func argumentName(_ text: String) -> String? {
        var name = text.trimmingCharacters(in: .whitespaces)
        if name.hasPrefix("{") && name.hasSuffix("}") { name = String(name.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces) }
        if name.hasSuffix("?") { name = String(name.dropLast()) }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), name.first?.isLetter == true else { return nil }
        return name
    }

    /// The page a refused action's form came from, re-rendered with the error: a module view
    /// page, or a record's page (its module sections show the error); else the error page.
    func refusedAction(_ request: WebRequest, _ p: Principal, _ failure: ActionFailure) throws -> Response {
        var web = request
        web.shownPath = failure.back
        let path = String(failure.back.split(separator: "?", maxSplits: 1).first ?? "").split(separator: "#").first.map(String.init) ?? ""
        let words = path.split(separator: "/").map(String.init)
        for (module, page) in try server.pages(for: p.access) {
            let pattern = page.path.split(separator: "/").map(String.init)
            guard pattern.count == words.count, zip(pattern, words).allSatisfy({ $0 == $1 || $0.hasPrefix(":") }) else { continue }
            let id = zip(pattern, words).first { $0.0 == ":id" }?.1
            if let view = page.view {
                return try viewPage(web, p, module: module, page: page, view: view, id: id, failure: failure)
            }
            if let entity = page.requires?.entity, let id {
                return try detailPage(web, p, entity: entity, id: id, failure: failure)
            }
        }
        if words.count == 3, words[0] == "e" {
            return try detailPage(web, p, entity: words[1], id: words[2], failure: failure)
        }
        var message = failure.message
        if !failure.fieldErrors.isEmpty { message += " — " + failure.fieldErrors.map { "\($0.field): \($0.message)" }.joined(separator: "; ") }
        return errorPage(web, p, .unprocessableContent, message)
    }
}
