import CRMKernel
import CRMServer
import Foundation
import Hummingbird

/// The service module's public HTML pages, for people without an account: the ticket form
/// (`/support/{form}`) and the rating page behind the link sent when a ticket is solved
/// (`/rate/{token}`). They post the same data as the module's public JSON routes, through the
/// same code and the same per-address limits; nothing here decides anything.
extension WebApp {
    func addServicePublicRoutes(_ router: Router<CRMRequestContext>) {
        router.get("/support/:form") { request, context in
            let web = WebRequest(request), form = context.parameters.get("form") ?? ""
            return await self.guarded(web) { self.supportPage(web, form: form, message: nil, status: .ok) }
        }
        router.post("/support/:form") { request, context in
            let web = WebRequest(request), form = context.parameters.get("form") ?? "", address = context.clientAddress
            var req = request
            let body = FormBody(String(buffer: (try? await req.collectBody(upTo: Self.maxFormBytes)) ?? ByteBuffer()))
            var json: [String: ScriptValue] = [:]
            for key in ["name", "email", "phone", "subject", "description", "category", "order_number", "_started"] {
                if let v = body[key] { json[key] = .value(.text(v)) }
            }
            do {
                let answer = try await self.server.callPublicRoute(module: "service", .post, "tickets/:form", parameters: ["form": form],
                                                                   json: .table(json), clientAddress: address)
                var number = ""
                if case .json(let v) = answer.body { number = v.fields?["number"]?.text ?? "" }
                return self.publicMessage(web, title: web.lang.t("已收到", "Received"),
                                          text: number.isEmpty ? web.lang.t("感谢您的反馈。", "Thank you.") : web.lang.t("您的工单号：", "Your ticket number: ") + number)
            } catch {
                let api = APIError.from(error)
                return self.supportPage(web, form: form, message: api.detail, status: api.status)
            }
        }
        router.get("/rate/:token") { request, context in
            let web = WebRequest(request), token = context.parameters.get("token") ?? "", address = context.clientAddress
            do {
                let answer = try await self.server.callPublicRoute(module: "service", .get, "ratings/:token", parameters: ["token": token],
                                                                   json: nil, clientAddress: address)
                guard case .json(let v) = answer.body else { throw KernelError(.notFound, "no rating") }
                return self.ratingPage(web, token: token, ticket: "\(v.fields?["number"]?.text ?? "") \(v.fields?["subject"]?.text ?? "")", message: nil, status: .ok)
            } catch {
                let api = APIError.from(error)
                return self.publicMessage(web, title: web.lang.t("链接不可用", "Link not usable"), text: api.detail, status: api.status)
            }
        }
        router.post("/rate/:token") { request, context in
            let web = WebRequest(request), token = context.parameters.get("token") ?? "", address = context.clientAddress
            var req = request
            let body = FormBody(String(buffer: (try? await req.collectBody(upTo: Self.maxFormBytes)) ?? ByteBuffer()))
            var json: [String: ScriptValue] = ["score": .value(.text(body["score"] ?? ""))]
            if let c = body["comment"], !c.isEmpty { json["comment"] = .value(.text(c)) }
            do {
                _ = try await self.server.callPublicRoute(module: "service", .post, "ratings/:token", parameters: ["token": token],
                                                          json: .table(json), clientAddress: address)
                return self.publicMessage(web, title: web.lang.t("感谢评价", "Thank you"), text: web.lang.t("您的评价已记录。", "Your rating was recorded."))
            } catch {
                let api = APIError.from(error)
                return self.publicMessage(web, title: web.lang.t("未能记录", "Not recorded"), text: api.detail, status: api.status)
            }
        }
    }

    func supportPage(_ web: WebRequest, form: String, message: String?, status: HTTPResponse.Status) -> Response {
        let lang = web.lang
        var h = HTML()
        h.raw("<section class=\"card\"><h1>")
        h.text(lang.t("提交服务请求", "Ask for help"))
        h.raw("</h1>")
        if let message {
            h.raw("<p class=\"error\" role=\"alert\">")
            h.text(message)
            h.raw("</p>")
        }
        h.raw("<form method=\"post\"")
        h.attr("action", "/support/\(form)")
        h.raw("><input type=\"hidden\" name=\"_started\"")
        h.attr("value", String(Int(Date().timeIntervalSince1970)))
        h.raw(">")
        for (name, zh, en, type) in [("subject", "问题主题", "Subject", "text"), ("name", "姓名", "Name", "text"), ("email", "邮箱", "E-mail", "email"),
                                     ("phone", "电话", "Phone", "tel"), ("order_number", "订单号（可选）", "Order number (optional)", "text")] {
            h.raw("<label")
            h.attr("for", "support-\(name)")
            h.raw(">")
            h.text(lang.t(zh, en))
            h.raw("</label><input")
            h.attr("id", "support-\(name)")
            h.attr("name", name)
            h.attr("type", type)
            h.raw(">")
        }
        h.raw("<label for=\"support-description\">")
        h.text(lang.t("问题描述", "Description"))
        h.raw("</label><textarea id=\"support-description\" name=\"description\" rows=\"6\"></textarea><button type=\"submit\">")
        h.text(lang.t("提交", "Send"))
        h.raw("</button></form></section>")
        return WebResponse.html(layout(web, nil, title: lang.t("提交服务请求", "Ask for help"), body: h), status: status)
    }

    func ratingPage(_ web: WebRequest, token: String, ticket: String, message: String?, status: HTTPResponse.Status) -> Response {
        let lang = web.lang
        var h = HTML()
        h.raw("<section class=\"card\"><h1>")
        h.text(lang.t("服务评价", "Rate our service"))
        h.raw("</h1><p>")
        h.text(ticket)
        h.raw("</p><form method=\"post\"")
        h.attr("action", "/rate/\(token)")
        h.raw("><fieldset><legend>")
        h.text(lang.t("满意度（1–5 分）", "Satisfaction (1–5)"))
        h.raw("</legend>")
        for score in 1...5 {
            h.raw("<label><input type=\"radio\" name=\"score\" required")
            h.attr("value", String(score))
            h.raw("> ")
            h.text(String(score))
            h.raw("</label>")
        }
        h.raw("</fieldset><label for=\"rate-comment\">")
        h.text(lang.t("意见（可选）", "Comment (optional)"))
        h.raw("</label><textarea id=\"rate-comment\" name=\"comment\" rows=\"4\" maxlength=\"2000\"></textarea><button type=\"submit\">")
        h.text(lang.t("提交评价", "Send"))
        h.raw("</button></form></section>")
        return WebResponse.html(layout(web, nil, title: lang.t("服务评价", "Rate our service"), body: h), status: status)
    }

    func publicMessage(_ web: WebRequest, title: String, text: String, status: HTTPResponse.Status = .ok) -> Response {
        var h = HTML()
        h.raw("<section class=\"card\"><h1>")
        h.text(title)
        h.raw("</h1><p>")
        h.text(text)
        h.raw("</p></section>")
        return WebResponse.html(layout(web, nil, title: title, body: h), status: status)
    }
}
