import CRMKernel
import CRMServer
import Foundation
import Hummingbird

/// `GET /e/<entity>/<id>`: a record's fields by form section, its related records (every entity
/// with a reference to it: contacts, follow-ups, tasks, deals, attachments ...), its timeline
/// (comments with @mentions and changes) and its field history from the audit log. A record out of the user's scope is a 404 page.
extension WebApp {
    func addDetailRoutes(_ router: Router<CRMRequestContext>) {
        router.get("/e/:entity/:id") { request, context in
            let name = try context.parameters.require("entity"), id = context.parameters.get("id") ?? ""
            return await self.page(request) { web, p in try self.detailPage(web, p, entity: name, id: id) }
        }
    }

    /// The record, if the user may read the entity and sees the record; not found otherwise.
    func visibleRecord(_ p: Principal, _ name: String, _ id: String) throws -> (Record, EntitySchema) {
        let entity = try store.schema.entity(name)
        try p.access.require(.read, on: name)
        guard let rid = Int64(id), let record = try store.get(name, rid, as: p.access) else {
            throw KernelError(.notFound, "\(name) \(id) does not exist")
        }
        return (record, entity)
    }

    /// `failure`: a refused module form action from this page, told in the module's sections
    /// (the page answers 422).
    func detailPage(_ web: WebRequest, _ p: Principal, entity name: String, id: String, failure: ActionFailure? = nil) throws -> Response {
        let (record, entity) = try visibleRecord(p, name, id)
        let lang = web.lang
        let view = FieldView(entity, p.access, lang)
        let form = store.schema.forms[name]
        var titles = TitleCache(store, p.access)
        let title = titles.title(name, record.id)
        var h = HTML()
        h.raw("<div class=\"bar\"><h1>")
        h.text(title)
        h.raw(" <small>")
        h.text(lang.label(entity.definition.label))
        h.raw("</small></h1>")
        if p.access.allows(.update, on: name) {
            h.link("<a class=\"button\" accesskey=\"e\"", href: "/e/\(name)/\(record.id)/edit", lang.t("编辑", "Edit"))
        }
        if p.access.allows(.delete, on: name) {
            h.link("<a class=\"button danger\"", href: "/e/\(name)/\(record.id)/delete", lang.t("删除", "Delete"))
        }
        h.raw("</div>")
        h.append(notices(web, p, record, view))
        if let stages = store.schema.pipelines[name]?.first, p.access.allows(.update, on: name) {
            h.append(stageMoveForm(web, record, stages, back: "/e/\(name)/\(record.id)"))
        }
        for section in view.sections(form) {
            h.raw("<section class=\"card\"><h2>")
            h.text(section.title)
            h.raw("</h2><dl class=\"fields\">")
            for field in section.fields {
                h.raw("<div><dt>")
                h.text(lang.label(field.label))
                h.raw("</dt><dd>")
                let text = view.display(record[field.name], field, titles: &titles)
                if (field.type == .reference || field.type == .user), case .integer(let rid) = record[field.name], let target = field.target,
                   target != "user", p.access.allows(.read, on: target) {
                    h.link("<a", href: "/e/\(target)/\(rid)", text)
                } else {
                    h.text(text)
                }
                h.raw("</dd></div>")
            }
            h.raw("</dl></section>")
        }
        h.append(try viewSections(web, p, record, failure: failure))
        let history = try store.history(entity.name, record.id, as: p.access)
        h.append(try timelineSection(web, p, record, history: history))
        h.append(try relatedTabs(web, p, entity: name, id: record.id, titles: &titles))
        h.append(historySection(web, p, entity: entity, entries: history))
        return WebResponse.html(layout(web, p, title: title, body: h, newLink: p.access.allows(.create, on: name) ? "/e/\(name)/new" : nil),
                                status: failure == nil ? .ok : .unprocessableContent)
    }

    /// "Saved", and warnings the kernel stored with the record (`*_warning` fields, such as 查重's
    /// 疑似重复).
    func notices(_ web: WebRequest, _ p: Principal, _ record: Record, _ view: FieldView) -> HTML {
        let lang = web.lang
        var h = HTML()
        if web.query["saved"] == "1" {
            h.raw("<p class=\"notice\" role=\"status\">")
            h.text(lang.t("已保存", "Saved"))
            h.raw("</p>")
        }
        for field in view.visibleFields where field.name.hasSuffix("_warning") && !record[field.name].isEmpty {
            h.raw("<p class=\"warning\" role=\"alert\">")
            h.text("\(lang.label(field.label))：\(record[field.name].description)")
            h.raw("</p>")
        }
        return h
    }

    /// Related records: for each readable entity with a reference field to `entity`, the ten
    /// newest records pointing here, with a link to all of them and to add one.
    func relatedTabs(_ web: WebRequest, _ p: Principal, entity: String, id: Int64, titles: inout TitleCache) throws -> HTML {
        let lang = web.lang
        var h = HTML()
        let schema = store.schema
        var links: [(other: String, schema: EntitySchema, field: FieldDefinition)] = []
        for other in schema.entityNames where p.access.allows(.read, on: other) && !Self.internalEntities.contains(other) {
            guard let otherSchema = schema.entities[other] else { continue }
            let hidden = p.access.hiddenFields(other)
            for field in otherSchema.fields where field.type == .reference && field.target == entity && !hidden.contains(field.name) {
                links.append((other, otherSchema, field))
            }
        }
        // Every list in one read, each record with only its title fields and creation time.
        let lists = try store.read(as: p.access) { reader in
            try links.map { link in
                let filter = Filter.eq(link.field.name, .integer(id))
                let page = try reader.find(Query(link.other, filter: filter, sort: [SortKey("id", descending: true)], limit: 10),
                                           only: TitleCache.fields(link.schema) + ["created_at"])
                let count = page.records.count < 10 ? page.records.count : try reader.count(link.other, filter: filter)
                return (page, count)
            }
        }
        for ((other, otherSchema, field), (page, count)) in zip(links, lists) {
            h.raw("<details class=\"card related\" open><summary><h2>")
            h.text("\(lang.label(otherSchema.definition.label)) (\(count))")
            h.raw("</h2></summary><ul class=\"related-list\">")
            for record in page.records {
                h.raw("<li>")
                h.link("<a", href: "/e/\(other)/\(record.id)", titles.title(of: record))
                if case .datetime(let at) = record["created_at"] {
                    h.raw(" <small>")
                    h.text(FieldView.local(at))
                    h.raw("</small>")
                }
                h.raw("</li>")
            }
            h.raw("</ul><p>")
            if count > 10 {
                h.link("<a", href: "/e/\(other)?f.\(field.name)=\(id)", lang.t("查看全部", "See all"))
                h.raw(" ")
            }
            if p.access.allows(.create, on: other) {
                h.link("<a class=\"button\"", href: "/e/\(other)/new?prefill.\(field.name)=\(id)", lang.t("新建", "Add") + lang.label(otherSchema.definition.label))
            }
            h.raw("</p></details>")
        }
        return h
    }

    /// The field history from the audit log (fields hidden from the user are left out by the kernel).
    func historySection(_ web: WebRequest, _ p: Principal, entity: EntitySchema, entries: [AuditEntry]) -> HTML {
        let lang = web.lang
        var h = HTML()
        h.raw("<details class=\"card\"><summary><h2>")
        h.text(lang.t("变更记录", "History") + " (\(entries.count))")
        h.raw("</h2></summary><ol class=\"history\">")
        for entry in entries.suffix(50).reversed() {
            h.raw("<li><time>")
            h.text(FieldView.local(entry.at))
            h.raw("</time> ")
            h.text(entry.userName + " · " + entry.action)
            h.raw("<ul>")
            for change in entry.changes {
                h.raw("<li>")
                let label = entity.fieldsByName[change.field].map { lang.label($0.label) } ?? change.field
                h.text("\(label): \(change.old.isEmpty ? "—" : change.old.description) → \(change.new.isEmpty ? "—" : change.new.description)")
                h.raw("</li>")
            }
            h.raw("</ul></li>")
        }
        h.raw("</ol></details>")
        return h
    }
}
