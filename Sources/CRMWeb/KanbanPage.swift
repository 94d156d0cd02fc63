import CRMKernel
import CRMServer
import Foundation
import Hummingbird

/// `GET /opportunities/kanban`: deals in columns by stage. Cards move by drag (SortableJS, which
/// posts the move) or, without JavaScript, by each card's small move form. A stage gate that
/// refuses names the missing fields, and the card stays where it was.
extension WebApp {
    static let kanbanEntity = "opportunity"
    /// Cards shown per column.
    static let cardsPerColumn = 50

    func addKanbanRoutes(_ router: Router<CRMRequestContext>) {
        router.get("/opportunities/kanban") { request, _ in
            await self.page(request) { web, p in try self.kanbanPage(web, p, message: web.query["msg"], status: .ok) }
        }
        router.post("/opportunities/kanban/move") { request, _ in
            let wantsJSON = request.headers[.accept]?.contains("application/json") == true
            return await self.post(request) { web, p, form in try self.moveCard(web, p, form, json: wantsJSON) }
        }
    }

    func kanbanPipeline() throws -> Pipeline {
        guard let pipeline = store.schema.pipelines[Self.kanbanEntity]?.first else {
            throw KernelError(.notFound, "no sales stages are declared")
        }
        return pipeline
    }

    func kanbanPage(_ web: WebRequest, _ p: Principal, message: String?, status: HTTPResponse.Status) throws -> Response {
        let name = Self.kanbanEntity, lang = web.lang
        let entity = try store.schema.entity(name)
        try p.access.require(.read, on: name)
        let pipeline = try kanbanPipeline()
        let view = FieldView(entity, p.access, lang)
        let canMove = p.access.allows(.update, on: name) && !view.hidden.contains(pipeline.field)
        var titles = TitleCache(store, p.access)
        let moveParts = canMove ? MoveFormParts(self, web, pipeline) : nil
        var h = HTML()
        h.raw("<div class=\"bar\"><h1>")
        h.text(lang.t("商机看板", "Deal board"))
        h.raw("</h1><a class=\"button primary\" href=\"/e/opportunity/new\">")
        h.text(lang.t("新建商机", "New deal"))
        h.raw("</a></div><p class=\"error\" role=\"alert\" id=\"kanban-msg\"")
        if message == nil { h.raw(" hidden") }
        h.raw(">")
        h.text(message ?? "")
        h.raw("</p><div class=\"kanban\">")
        // Every column in one read, each card with only what it shows.
        let titleField = entity.definition.titleField ?? "name"
        let showAmount = entity.fieldsByName["amount"] != nil && !view.hidden.contains("amount")
        let shown = (entity.fieldsByName[titleField] != nil ? [titleField] : []) + (showAmount ? ["amount"] : [])
        let columns = try store.read(as: p.access) { reader in
            try pipeline.stages.map { stage in
                var filter = Filter.eq(pipeline.field, .text(stage.name))
                if let selector = pipeline.selector { filter = .all([filter, .eq(selector.field, .text(selector.value))]) }
                return try reader.find(Query(name, filter: filter, sort: [SortKey("id", descending: true)], limit: Self.cardsPerColumn), only: shown)
            }
        }
        for (stage, cards) in zip(pipeline.stages, columns) {
            h.raw("<section class=\"column\"")
            h.attr("aria-label", lang.label(stage.label))
            h.raw("><h2>")
            h.text(lang.label(stage.label))
            h.raw(" <small>")
            h.number(cards.records.count)
            h.raw("</small></h2><ul class=\"cards\"")
            h.attr("data-stage", stage.name)
            h.raw(">")
            for card in cards.records {
                h.raw("<li class=\"kcard\"")
                h.attr("data-id", String(card.id))
                h.raw(">")
                let title = card[titleField]
                h.link("<a", href: "/e/\(name)/\(card.id)", title.isEmpty ? "#\(card.id)" : title.description)
                if showAmount, let amount = entity.fieldsByName["amount"], !card["amount"].isEmpty {
                    h.raw("<span class=\"amount\">")
                    h.text(view.display(card["amount"], amount, titles: &titles))
                    h.raw("</span>")
                }
                moveParts?.append(to: &h, card.id, current: stage.name)
                h.raw("</li>")
            }
            h.raw("</ul></section>")
        }
        h.raw("</div><script src=\"/static/Sortable.min.js\" defer></script>")
        return WebResponse.html(layout(web, p, title: lang.t("商机看板", "Deal board"), body: h, newLink: "/e/opportunity/new"), status: status)
    }

    /// A card's move form (works without JavaScript; the drag script posts the same form).
    func moveForm(_ h: inout HTML, _ web: WebRequest, _ id: Int64, _ pipeline: Pipeline, current: String) {
        MoveFormParts(self, web, pipeline).append(to: &h, id, current: current)
    }

    /// The parts of a move form that are the same on every card of a page, built once: the
    /// CSRF field and the stage options with each stage selected. A board of 200 cards
    /// escaped every stage label 200 times before.
    struct MoveFormParts {
        /// `<form …>` with the CSRF field.
        let head: HTML
        /// The escaped "move to stage" caption.
        let caption: HTML
        /// The options, then the button, with the stage of that name selected.
        let options: [String: HTML]
        /// The options with none selected (a stage the pipeline no longer has).
        let unselected: HTML

        init(_ app: WebApp, _ web: WebRequest, _ pipeline: Pipeline) {
            var head = HTML()
            head.raw("<form method=\"post\" action=\"/opportunities/kanban/move\" class=\"move\">")
            app.csrfField(&head, web)
            self.head = head
            func options(selected: String?) -> HTML {
                var h = HTML()
                for stage in pipeline.stages {
                    h.raw("<option")
                    h.attr("value", stage.name)
                    h.flag("selected", stage.name == selected)
                    h.raw(">")
                    h.text(web.lang.label(stage.label))
                    h.raw("</option>")
                }
                h.raw("</select><button type=\"submit\">")
                h.text(web.lang.t("移动", "Move"))
                h.raw("</button></form>")
                return h
            }
            var byStage: [String: HTML] = [:]
            for stage in pipeline.stages { byStage[stage.name] = options(selected: stage.name) }
            self.options = byStage
            self.unselected = options(selected: nil)
            var caption = HTML()
            caption.text(web.lang.t("移到阶段", "Move to stage"))
            self.caption = caption
        }

        /// Appends the move form of deal `id`, now in stage `current`.
        func append(to h: inout HTML, _ id: Int64, current: String) {
            h.append(head)
            h.raw("<input type=\"hidden\" name=\"id\"")
            h.attr("value", String(id))
            h.raw("><label class=\"sr\"")
            h.attr("for", "mv-\(id)")
            h.raw(">")
            h.append(caption)
            h.raw("</label><select name=\"stage\"")
            h.attr("id", "mv-\(id)")
            h.raw(">")
            h.append(options[current] ?? unselected)
        }
    }

    /// The stage form on a record's detail page.
    func stageMoveForm(_ web: WebRequest, _ record: Record, _ pipeline: Pipeline, back: String) -> HTML {
        var h = HTML()
        guard record.entity == Self.kanbanEntity else { return h }
        h.raw("<div class=\"card stage-move\">")
        moveForm(&h, web, record.id, pipeline, current: record[pipeline.field].textValue ?? "")
        h.raw("</div>")
        return h
    }

    func moveCard(_ web: WebRequest, _ p: Principal, _ form: FormBody, json: Bool) throws -> Response {
        let name = Self.kanbanEntity, lang = web.lang
        let pipeline = try kanbanPipeline()
        let entity = try store.schema.entity(name)
        guard let id = form["id"].flatMap({ Int64($0) }), let stage = form["stage"], let target = pipeline.stage(stage) else {
            throw KernelError(.validation, "a move needs a deal and a known stage", fieldErrors: [FieldError(field: "stage", message: "unknown stage")])
        }
        _ = try visibleRecord(p, name, String(id))
        do {
            _ = try store.write(as: p.access) { tx in try tx.update(name, id, [pipeline.field: .text(stage)]) }
        } catch {
            let api = APIError.from(error)
            if api.status == .notFound { throw error }
            let missing = api.fieldErrors.filter { $0.field != pipeline.field }.map { e in entity.fieldsByName[e.field].map { lang.label($0.label) } ?? e.field }
            let message = missing.isEmpty
                ? lang.t("无法移到「\(lang.label(target.label))」：\(api.fieldErrors.first?.message ?? api.detail)", "Cannot move to “\(lang.label(target.label))”: \(api.fieldErrors.first?.message ?? api.detail)")
                : lang.t("无法移到「\(lang.label(target.label))」，请先填写：\(missing.joined(separator: "、"))", "Cannot move to “\(lang.label(target.label))”; fill in first: \(missing.joined(separator: ", "))")
            if json { return Self.jsonMessage(ok: false, message, status: .unprocessableContent) }
            return try kanbanPage(web, p, message: message, status: .unprocessableContent)
        }
        if json { return Self.jsonMessage(ok: true, lang.t("已移到「\(lang.label(target.label))」", "Moved to “\(lang.label(target.label))”"), status: .ok) }
        return WebResponse.redirect(form["_back"].flatMap { WebResponse.isLocal($0) ? $0 : nil } ?? "/opportunities/kanban")
    }

    static func jsonMessage(ok: Bool, _ message: String, status: HTTPResponse.Status) -> Response {
        var escaped = ""
        for ch in message.unicodeScalars {
            switch ch {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "<": escaped += "\\u003c"
            default: if ch.value < 0x20 { escaped += String(format: "\\u%04x", ch.value) } else { escaped.unicodeScalars.append(ch) }
            }
        }
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: "{\"ok\":\(ok),\"message\":\"\(escaped)\"}")))
    }
}
