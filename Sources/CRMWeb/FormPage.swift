import CRMKernel
import CRMServer
import Foundation
import Hummingbird

/// The create and edit forms of any entity, laid out by `crm.form`: required marks, choices,
/// references with type-ahead, errors at the field. A create form carries a one-time token; an
/// edit form carries the record's `version` to detect a stale save.
extension WebApp {
    /// What a form shows besides the record: typed values and errors after a refused save.
    struct FormState {
        var values: [String: String] = [:]
        var errors: [String: String] = [:]
        var message: String?
        var once: String?
        var version: String?
        var status: HTTPResponse.Status = .ok
    }

    func formPage(_ web: WebRequest, _ p: Principal, entity: EntitySchema, record: Record?, state: FormState) -> Response {
        let lang = web.lang, name = entity.name
        let view = FieldView(entity, p.access, lang)
        let form = store.schema.forms[name]
        var titles = TitleCache(store, p.access)
        let title = record == nil ? lang.t("新建", "New ") + lang.label(entity.definition.label)
            : lang.t("编辑", "Edit ") + titles.title(name, record?.id ?? 0)
        var h = HTML()
        h.raw("<h1>")
        h.text(title)
        h.raw("</h1>")
        if let message = state.message {
            h.raw("<p class=\"error\" role=\"alert\">")
            h.text(message)
            h.raw("</p>")
        }
        h.raw("<form method=\"post\" class=\"record-form\" novalidate")
        h.attr("action", record.map { "/e/\(name)/\($0.id)" } ?? "/e/\(name)")
        h.raw(">")
        csrfField(&h, web)
        h.raw("<input type=\"hidden\" name=\"_back\"")
        h.attr("value", record.map { "/e/\(name)/\($0.id)/edit" } ?? "/e/\(name)/new")
        h.raw(">")
        if let once = state.once {
            h.raw("<input type=\"hidden\" name=\"_once\"")
            h.attr("value", once)
            h.raw(">")
        }
        if let version = state.version {
            h.raw("<input type=\"hidden\" name=\"_version\"")
            h.attr("value", version)
            h.raw(">")
        }
        let unplaced = state.errors.keys.filter { key in !view.visibleFields.contains { $0.name == key && view.editable($0, form: form) } }
        if !unplaced.isEmpty {
            h.raw("<ul class=\"error\" role=\"alert\">")
            for key in unplaced.sorted() {
                h.raw("<li>")
                h.text("\(view.entity.fieldsByName[key].map { lang.label($0.label) } ?? key): \(state.errors[key] ?? "")")
                h.raw("</li>")
            }
            h.raw("</ul>")
        }
        if name == "customer" { h.raw("<div id=\"dup-hint\" aria-live=\"polite\"></div>") }
        for section in view.sections(form) {
            h.raw("<fieldset class=\"card\"><legend>")
            h.text(section.title)
            h.raw("</legend>")
            for field in section.fields {
                let value = state.values[field.name] ?? (record.map { view.inputText($0[field.name], field) } ?? (field.defaultValue.map { view.inputText($0, field) } ?? ""))
                if view.editable(field, form: form) {
                    fieldInput(&h, view, field, value: value, required: view.required(field, form: form), error: state.errors[field.name], titles: &titles, recordID: record?.id)
                } else if record != nil {
                    h.raw("<div class=\"field readonly\"><span class=\"label\">")
                    h.text(lang.label(field.label))
                    h.raw("</span><span class=\"value\">")
                    h.text(view.display(record?[field.name], field, titles: &titles))
                    h.raw("</span></div>")
                }
            }
            h.raw("</fieldset>")
        }
        h.raw("<div class=\"actions\"><button type=\"submit\" class=\"primary\">")
        h.text(lang.t("保存", "Save"))
        h.raw("</button>")
        h.link("<a class=\"button\"", href: record.map { "/e/\(name)/\($0.id)" } ?? "/e/\(name)", lang.t("取消", "Cancel"))
        h.raw("</div></form>")
        return WebResponse.html(layout(web, p, title: title, body: h), status: state.status)
    }

    /// Values prefilled from `prefill.<field>=` parameters (related "add" links, a form kept
    /// through a new sign-in).
    static func prefill(_ params: FormBody) -> [String: String] {
        var out: [String: String] = [:]
        for name in params.order where name.hasPrefix("prefill.") { out[String(name.dropFirst(8))] = params[name] }
        return out
    }
}
