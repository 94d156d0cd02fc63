import CRMKernel
import CRMServer
import Foundation
import Hummingbird
import Mustache
import Synchronization

/// Text a module template produced: only `ModuleViews` makes one, so only escaped output reaches
/// `HTML.appendRenderedTemplate`.
struct RenderedTemplate: Sendable {
    fileprivate(set) var text: String
}

/// Module views (`PluginPage.view`): the module's mustache template compiled once, its data
/// function run for the caller, and the result rendered with every value HTML-escaped.
///
/// A template may not turn escaping off: `{{{…}}}`, `{{&…}}`, a delimiter change (`{{=…=}}`) and
/// pragmas (`{{%…}}`, which can switch the content type to plain text) are refused when the
/// template is compiled, so a value can never open a tag.
final class ModuleViews: Sendable {
    private let compiled = Mutex<[String: MustacheTemplate]>([:])

    init() {}

    /// The compiled template of page `key` (`<module>.<id>`).
    func template(_ key: String, _ source: PageTemplate) throws -> MustacheTemplate {
        if let done = compiled.withLock({ $0[key] }) { return done }
        let text = try source.load()
        try Self.checkEscaped(text, key)
        let template: MustacheTemplate
        do { template = try MustacheTemplate(string: text) } catch {
            throw KernelError(.scriptFailed, "page template \(key): \(error)")
        }
        compiled.withLock { $0[key] = template }
        return template
    }

    /// Refuses the tags that would write a value unescaped or change how tags are read.
    static func checkEscaped(_ text: String, _ key: String) throws {
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            let after = rest[open.upperBound...].drop(while: { $0 == " " })
            if let first = after.first, "{&=%".contains(first) {
                throw KernelError(.validation, "page template \(key): '{{\(first)' is not allowed (module templates are escaped; build the markup in the template)")
            }
            rest = rest[open.upperBound...]
        }
    }

    /// Renders `data` with the template; `extra` (csrf, form token, language) is added at the top.
    func render(_ key: String, _ source: PageTemplate, data: PageData, extra: [String: Any]) throws -> RenderedTemplate {
        let template = try template(key, source)
        var root = (Self.object(data) as? [String: Any]) ?? ["data": Self.object(data)]
        for (k, v) in extra { root[k] = v }
        return RenderedTemplate(text: template.render(root))
    }

    /// The tree mustache walks: dictionaries, arrays, strings, integers and booleans.
    static func object(_ data: PageData) -> Any {
        switch data {
        case .text(let s): return s
        case .integer(let i): return i
        case .bool(let b): return b
        case .list(let l): return l.map(object)
        case .object(let o): return o.mapValues(object)
        }
    }
}

extension WebApp {
    /// The request as a module's data function sees it.
    /// `location` (path and query) stands for the request's own when a refused form action
    /// re-renders the page it came from.
    func pageRequest(_ web: WebRequest, _ p: Principal, module: String, id: String?, location: String? = nil) -> PageRequest {
        var query: [String: String] = [:]
        let here = location ?? web.here
        let form = location.map { FormBody($0.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? "") } ?? web.query
        for name in form.order { query[name] = form[name] }
        let server = self.server
        return PageRequest(store: store, user: p.user, access: p.access, id: id, query: query,
                           language: web.lang == .en ? .en : .zh, here: here) { name, args in
            try server.callAction(module, name, args, as: p)
        }
    }

    /// Runs a view's data function and renders its template, with the session's CSRF token, a
    /// fresh one-time form token at each `{{form_token}}`, the language and `saved`; after a
    /// refused form action of the same module, `error`, `field_errors` and the `posted` fields.
    func renderView(_ web: WebRequest, _ p: Principal, module: String, page: PluginPage, view: PageView, id: String?,
                    failure: ActionFailure? = nil) throws -> RenderedTemplate {
        let data = try view.data(pageRequest(web, p, module: module, id: id, location: failure?.back))
        let tokens = formTokens
        let extra: [String: Any] = [
            "csrf": web.csrf,
            "form_token": MustacheLambda { tokens.issue() },
            "lang": web.lang.rawValue, "zh": web.lang == .zh, "en": web.lang == .en,
            "here": failure?.back ?? web.here, "saved": failure == nil && web.query["saved"] == "1",
        ]
        var all = extra
        if data["title"] == nil { all["title"] = web.lang.label(page.title) }
        if let failure, failure.module == module {
            all["error"] = failure.message
            all["field_errors"] = failure.fieldErrors.map { ["field": $0.field, "message": $0.message] }
            all["posted"] = failure.posted
        }
        return try views.render("\(module).\(page.id)", view.template, data: data, extra: all)
    }

    /// A module page with a view, inside the layout.
    func viewPage(_ web: WebRequest, _ p: Principal, module: String, page: PluginPage, view: PageView, id: String?,
                  failure: ActionFailure? = nil) throws -> Response {
        var h = HTML()
        h.appendRenderedTemplate(try renderView(web, p, module: module, page: page, view: view, id: id, failure: failure))
        return WebResponse.html(layout(web, p, title: web.lang.label(page.title), body: h), status: failure == nil ? .ok : .unprocessableContent)
    }

    /// The sections enabled modules draw on `record`'s page, each in a card with its anchor; a
    /// section whose template renders nothing (no action for this user) leaves no card, one the
    /// user may not see is left out, and one that fails says so in its card.
    func viewSections(_ web: WebRequest, _ p: Principal, _ record: Record, failure: ActionFailure? = nil) throws -> HTML {
        var h = HTML()
        for (module, page) in try server.sections(for: p.access, entity: record.entity) {
            guard let view = page.view else { continue }
            let rendered: RenderedTemplate
            do {
                rendered = try renderView(web, p, module: module, page: page, view: view, id: String(record.id), failure: failure)
            } catch {
                // One module's failing section does not take the record's page down with it.
                let api = APIError.from(error)
                if api.status == .notFound || api.status == .forbidden { continue }
                h.raw("<section class=\"card\"")
                h.attr("id", String(page.path.dropFirst()))
                h.raw("><p class=\"error\" role=\"alert\">")
                h.text(web.lang.label(page.title) + web.lang.t("：无法显示（", ": could not be shown (") + api.detail + web.lang.t("）", ")"))
                h.raw("</p></section>")
                continue
            }
            guard !rendered.text.allSatisfy(\.isWhitespace) else { continue }
            h.raw("<section class=\"card\"")
            h.attr("id", String(page.path.dropFirst()))
            h.attr("data-section", "\(module).\(page.id)")
            h.raw(">")
            h.appendRenderedTemplate(rendered)
            h.raw("</section>")
        }
        return h
    }
}
