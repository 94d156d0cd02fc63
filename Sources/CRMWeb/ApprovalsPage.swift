import CRMKernel
import CRMServer
import Foundation
import Hummingbird

/// `GET /approvals`: the approvals waiting for me (the kernel's approval engine, `Approvals`),
/// each with the document as submitted and forms to approve, reject (a reason is required) or
/// delegate my part to a colleague: `POST /approvals/<id>/approve|reject|delegate`. The engine
/// decides who may decide; the page only shows what it returns for the user.
extension WebApp {
    func addApprovalRoutes(_ router: Router<CRMRequestContext>) {
        router.get("/approvals") { request, _ in
            await self.page(request) { web, p in try self.approvalsPage(web, p) }
        }
        router.post("/approvals/:id/:action") { request, context in
            let id = Int64(context.parameters.get("id") ?? ""), action = context.parameters.get("action") ?? ""
            return await self.post(request) { web, p, form in
                guard let id else { throw KernelError(.notFound, "approval ids are integers") }
                let comment = form["comment"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
                let step = form["step"].flatMap { Int($0) }
                _ = try self.store.write(as: p.access) { tx -> Approval in
                    switch action {
                    case "approve": return try Approvals.approve(id, comment: comment, step: step, in: tx)
                    case "reject":
                        guard comment != nil else {
                            throw KernelError(.validation, web.lang.t("驳回需要填写原因", "A rejection needs a reason"), fieldErrors: [FieldError(field: "comment", message: "required")])
                        }
                        return try Approvals.reject(id, comment: comment, step: step, in: tx)
                    case "delegate":
                        guard let target = form["user"].flatMap({ Int64($0) }) else {
                            throw KernelError(.validation, web.lang.t("请选择转交给谁", "Choose whom to delegate to"), fieldErrors: [FieldError(field: "user", message: "required")])
                        }
                        return try Approvals.delegate(id, to: target, comment: comment, step: step, in: tx)
                    default: throw KernelError(.notFound, "no approval action '\(action)'")
                    }
                }
                return WebResponse.redirect("/approvals?done=\(action)")
            }
        }
    }

    func approvalsPage(_ web: WebRequest, _ p: Principal) throws -> Response {
        let lang = web.lang
        let title = lang.t("待我审批", "Approvals waiting for me")
        let list = try store.read(as: p.access) { try Approvals.pending(in: $0, as: p.access) }
        var titles = TitleCache(store, p.access)
        let colleagues = try store.find(Query("user", filter: .eq("active", .bool(true)), sort: [SortKey("id")], limit: 500), as: p.access).records
            .filter { $0.id != p.user.id }
        var h = HTML()
        h.raw("<h1>")
        h.text(title + " (\(list.count))")
        h.raw("</h1>")
        if let done = web.query["done"] {
            h.raw("<p class=\"notice\" role=\"status\">")
            h.text(["approve": lang.t("已同意", "Approved"), "reject": lang.t("已驳回", "Rejected"), "delegate": lang.t("已转交", "Delegated")][done] ?? lang.t("已处理", "Done"))
            h.raw("</p>")
        }
        if list.isEmpty {
            h.raw("<p class=\"empty\">")
            h.text(lang.t("没有等待您处理的审批。", "Nothing waits for your decision."))
            h.raw("</p>")
        }
        for approval in list {
            guard let entity = store.schema.entities[approval.entity] else { continue }
            let view = FieldView(entity, p.access, lang)
            let step = approval.current
            h.raw("<section class=\"card approval\"")
            h.attr("data-approval", String(approval.id))
            h.raw("><h2>")
            h.link("<a", href: "/e/\(approval.entity)/\(approval.recordID)", lang.label(entity.definition.label) + " · " + titles.title(approval.entity, approval.recordID))
            h.raw("</h2><p class=\"meta\">")
            h.text(lang.t("提交人：", "Submitted by: ") + (approval.submittedBy.map { titles.title("user", $0) } ?? "—")
                   + " · " + FieldView.local(approval.submittedAt) + " · " + lang.t("当前步骤：", "Step: ") + (step?.name ?? "—"))
            h.raw("</p><dl class=\"fields\">")
            for field in view.visibleFields.prefix(40) where approval.snapshot[field.name].map({ !$0.isEmpty }) ?? false
                && ["total", "discount_percent", "margin_percent", "customer", "amount", "title", "name", "number"].contains(field.name) {
                h.raw("<div><dt>")
                h.text(lang.label(field.label))
                h.raw("</dt><dd>")
                h.text(view.display(approval.snapshot[field.name], field, titles: &titles))
                h.raw("</dd></div>")
            }
            h.raw("</dl>")
            let stepValue = step.map { String($0.position) } ?? ""
            approvalForm(&h, web, approval.id, "approve", stepValue, button: lang.t("同意", "Approve"), comment: lang.t("意见（可选）", "Comment (optional)"), required: false)
            approvalForm(&h, web, approval.id, "reject", stepValue, button: lang.t("驳回", "Reject"), comment: lang.t("驳回原因", "Reason"), required: true)
            h.raw("<form method=\"post\" class=\"approval-form\"")
            h.attr("action", "/approvals/\(approval.id)/delegate")
            h.raw(">")
            csrfField(&h, web)
            h.raw("<input type=\"hidden\" name=\"step\"")
            h.attr("value", stepValue)
            h.raw("><label")
            h.attr("for", "delegate-\(approval.id)")
            h.raw(">")
            h.text(lang.t("转交给", "Delegate to"))
            h.raw("</label><select name=\"user\" required")
            h.attr("id", "delegate-\(approval.id)")
            h.raw("><option value=\"\"></option>")
            for user in colleagues {
                h.raw("<option")
                h.attr("value", String(user.id))
                h.raw(">")
                h.text(user["display_name"].textValue ?? user["name"].description)
                h.raw("</option>")
            }
            h.raw("</select><button type=\"submit\">")
            h.text(lang.t("转交", "Delegate"))
            h.raw("</button></form></section>")
        }
        return WebResponse.html(layout(web, p, title: title, body: h))
    }

    /// One decision form: the step the user saw (a decision on another step is refused by the
    /// engine), a comment, the button.
    private func approvalForm(_ h: inout HTML, _ web: WebRequest, _ id: Int64, _ action: String, _ step: String,
                              button: String, comment: String, required: Bool) {
        h.raw("<form method=\"post\" class=\"approval-form\"")
        h.attr("action", "/approvals/\(id)/\(action)")
        h.raw(">")
        csrfField(&h, web)
        h.raw("<input type=\"hidden\" name=\"step\"")
        h.attr("value", step)
        h.raw("><label")
        h.attr("for", "\(action)-\(id)")
        h.raw(">")
        h.text(comment)
        h.raw("</label><input name=\"comment\" maxlength=\"2000\"")
        h.attr("id", "\(action)-\(id)")
        h.flag("required", required)
        h.raw("><button type=\"submit\"")
        h.attr("class", action == "reject" ? "danger" : "primary")
        h.raw(">")
        h.text(button)
        h.raw("</button></form>")
    }
}
