import CRMKernel
import CRMServer
import Foundation
import Hummingbird

/// `GET /e/<entity>/new`, `GET /e/<entity>/<id>/edit`, `POST /e/<entity>` (create, once per
/// form token), `POST /e/<entity>/<id>` (update, refused when the record's `version` moved since
/// the form was opened), delete with confirmation, and `GET /options/<entity>` for type-ahead.
extension WebApp {
    func addFormRoutes(_ router: Router<CRMRequestContext>) {
        router.get("/e/:entity/new") { request, context in
            let name = try context.parameters.require("entity")
            return await self.page(request) { web, p in
                let entity = try self.store.schema.entity(name)
                try p.access.require(.create, on: name)
                return self.formPage(web, p, entity: entity, record: nil,
                                     state: FormState(values: Self.prefill(web.query), once: self.formTokens.issue()))
            }
        }
        router.get("/e/:entity/:id/edit") { request, context in
            let name = try context.parameters.require("entity"), id = context.parameters.get("id") ?? ""
            return await self.page(request) { web, p in
                let (record, entity) = try self.visibleRecord(p, name, id)
                try p.access.require(.update, on: name)
                return self.formPage(web, p, entity: entity, record: record,
                                     state: FormState(values: Self.prefill(web.query), version: record["version"].description))
            }
        }
        router.post("/e/:entity") { request, context in
            let name = try context.parameters.require("entity")
            return await self.post(request) { web, p, form in try self.create(web, p, name, form) }
        }
        router.post("/e/:entity/:id") { request, context in
            let name = try context.parameters.require("entity"), id = context.parameters.get("id") ?? ""
            return await self.post(request) { web, p, form in try self.update(web, p, name, id, form) }
        }
        router.get("/e/:entity/:id/delete") { request, context in
            let name = try context.parameters.require("entity"), id = context.parameters.get("id") ?? ""
            return await self.page(request) { web, p in
                let (record, _) = try self.visibleRecord(p, name, id)
                try p.access.require(.delete, on: name)
                var titles = TitleCache(self.store, p.access)
                return self.confirmPage(web, p, action: "/e/\(name)/\(record.id)/delete", question: web.lang.t("确定删除“\(titles.title(name, record.id))”吗？此操作不可撤销。",
                    "Delete “\(titles.title(name, record.id))”? This cannot be undone."), hidden: [], cancel: "/e/\(name)/\(record.id)")
            }
        }
        router.post("/e/:entity/:id/delete") { request, context in
            let name = try context.parameters.require("entity"), id = context.parameters.get("id") ?? ""
            return await self.post(request) { _, p, _ in
                let (record, _) = try self.visibleRecord(p, name, id)
                try self.store.write(as: p.access) { tx in try tx.delete(name, record.id) }
                return WebResponse.redirect("/e/\(name)")
            }
        }
        router.get("/options/:entity") { request, context in
            let name = try context.parameters.require("entity")
            return await self.page(request) { web, p in try self.options(web, p, name) }
        }
    }

    /// The values a form sends the kernel: the fields the user may edit. On create, fields left
    /// empty are not sent, so defaults and the modules' hooks (the owner is the creator) apply.
    func submitted(_ form: FormBody, _ view: FieldView, creating: Bool = false) -> [String: Value] {
        let layout = store.schema.forms[view.entity.name]
        var values: [String: Value] = [:]
        for field in view.visibleFields where view.editable(field, form: layout) {
            guard form.values[field.name] != nil || field.type == .multiChoice else { continue }
            let value = Self.formValue(form, field)
            if creating && value.isEmpty { continue }
            values[field.name] = value
        }
        return values
    }

    /// The form's own text per field, to show again after a refused save.
    static func typed(_ form: FormBody) -> [String: String] {
        var out: [String: String] = [:]
        for name in form.order where !name.hasPrefix("_") { out[name] = form.all(name).joined(separator: ",") }
        return out
    }

    func create(_ web: WebRequest, _ p: Principal, _ name: String, _ form: FormBody) throws -> Response {
        let entity = try store.schema.entity(name)
        try p.access.require(.create, on: name)
        let once = form["_once"] ?? ""
        guard !once.isEmpty else { throw KernelError(.validation, "the form has no one-time token; open it again") }
        switch formTokens.claim(once) {
        case .done(let location): return WebResponse.redirect(location)
        case .pending: return WebResponse.redirect("/e/\(name)")
        case .claimed: break
        }
        let values = submitted(form, FieldView(entity, p.access, web.lang), creating: true)
        do {
            let record = try store.write(as: p.access) { tx in try tx.create(name, values) }
            let location = "/e/\(name)/\(record.id)"
            formTokens.finish(once, location: location)
            return WebResponse.redirect(location + "?saved=1")
        } catch {
            formTokens.release(once)
            return refused(web, p, entity, nil, form, error, once: once, version: nil)
        }
    }

    func update(_ web: WebRequest, _ p: Principal, _ name: String, _ id: String, _ form: FormBody) throws -> Response {
        let (record, entity) = try visibleRecord(p, name, id)
        try p.access.require(.update, on: name)
        let values = submitted(form, FieldView(entity, p.access, web.lang))
        let expected = form["_version"] ?? ""
        guard let version = Int64(expected) else {
            throw KernelError(.validation, "the form has no record version; open it again", fieldErrors: [FieldError(field: "_version", message: "expected the version the form was opened at")])
        }
        do {
            try store.write(as: p.access) { tx in
                _ = try tx.update(name, record.id, values, expectedVersion: version)
            }
            return WebResponse.redirect("/e/\(name)/\(record.id)?saved=1")
        } catch let error as KernelError where error.kind == .staleVersion {
            guard let current = try store.get(name, record.id, as: p.access) else { throw KernelError(.notFound, "\(name) \(id) does not exist") }
            var state = FormState(values: Self.typed(form), version: current["version"].description, status: .conflict)
            state.message = web.lang.t("保存失败：您编辑期间此记录已被其他人修改。请核对当前内容后再次保存（再次保存将覆盖对方的修改）。",
                                       "Not saved: someone changed this record while you edited it. Check it and save again to overwrite their change.")
            return formPage(web, p, entity: entity, record: current, state: state)
        } catch {
            return refused(web, p, entity, record, form, error, once: nil, version: expected)
        }
    }

    /// The form again, with the kernel's field errors at their fields.
    func refused(_ web: WebRequest, _ p: Principal, _ entity: EntitySchema, _ record: Record?, _ form: FormBody, _ error: any Error,
                 once: String?, version: String?) -> Response {
        let api = APIError.from(error)
        if api.status == .notFound || (api.status == .forbidden && api.fieldErrors.isEmpty) || api.status == .internalServerError {
            return errorPage(web, p, api.status, api.status == .notFound ? web.lang.t("记录不存在，或您无权查看。", "This record does not exist, or you may not see it.") : api.detail)
        }
        var state = FormState(values: Self.typed(form), once: once, version: version, status: api.status)
        for e in api.fieldErrors where state.errors[e.field] == nil { state.errors[e.field] = e.message }
        state.message = web.lang.t("保存失败，请检查标出的字段。", "Not saved: check the marked fields.") + (api.fieldErrors.isEmpty ? " " + api.detail : "")
        return formPage(web, p, entity: entity, record: record, state: state)
    }

    func options(_ web: WebRequest, _ p: Principal, _ name: String) throws -> Response {
        let entity = try store.schema.entity(name)
        try p.access.require(.read, on: name)
        let params = web.query
        let text = (params.order.first.flatMap { params[$0] } ?? "").trimmingCharacters(in: .whitespaces)
        var titles = TitleCache(store, p.access)
        var records: [Record] = []
        if let id = Int64(text.prefix(while: \.isNumber)), !text.isEmpty, let r = try store.get(name, id, as: p.access) {
            records = [r]
        } else if !text.isEmpty {
            let field = name == "user" ? "display_name" : (entity.definition.titleField ?? "name")
            let query = entity.fieldsByName[field] != nil
                ? Query(name, filter: .condition(field: field, op: .contains, value: .text(text)), limit: 10)
                : Query(name, search: text, limit: 10)
            records = (try? store.find(query, as: p.access).records) ?? []
        }
        var h = HTML()
        for r in records {
            h.raw("<option")
            h.attr("value", "\(r.id) · \(titles.title(name, r.id))")
            h.raw("></option>")
        }
        return WebResponse.html(h)
    }

    /// A page asking to confirm a destructive action, posting `hidden` fields on.
    func confirmPage(_ web: WebRequest, _ p: Principal, action: String, question: String, hidden: [(String, String)], cancel: String) -> Response {
        var h = HTML()
        h.raw("<section class=\"card narrow\"><h1>")
        h.text(web.lang.t("请确认", "Please confirm"))
        h.raw("</h1><p>")
        h.text(question)
        h.raw("</p><form method=\"post\"")
        h.attr("action", action)
        h.raw(">")
        csrfField(&h, web)
        for (name, value) in hidden {
            h.raw("<input type=\"hidden\"")
            h.attr("name", name)
            h.attr("value", value)
            h.raw(">")
        }
        h.raw("<button type=\"submit\" class=\"danger\" autofocus>")
        h.text(web.lang.t("确认", "Confirm"))
        h.raw("</button> ")
        h.link("<a class=\"button\"", href: cancel, web.lang.t("取消", "Cancel"))
        h.raw("</form></section>")
        return WebResponse.html(layout(web, p, title: web.lang.t("请确认", "Confirm"), body: h))
    }
}
