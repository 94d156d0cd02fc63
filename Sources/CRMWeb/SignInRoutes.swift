import CRMKernel
import CRMServer
import Foundation
import Hummingbird

/// `/login`, `/logout`, `/password` (the forced change of an initial password) and `/lang`.
extension WebApp {
    func addSignInRoutes(_ router: Router<CRMRequestContext>) {
        router.get("/login") { request, _ in
            var web = WebRequest(request)
            if self.resolve(&web) != nil { return WebResponse.redirect("/") }
            return self.signInPage(web, next: web.query["next"] ?? "/", kept: nil, message: nil)
        }
        router.post("/login") { request, _ in
            var req = request
            let web = WebRequest(request)
            let form = FormBody(String(buffer: (try? await req.collectBody(upTo: Self.maxFormBytes)) ?? ByteBuffer()))
            let next = form["next"].flatMap { WebResponse.isLocal($0) ? $0 : nil } ?? "/"
            let kept = Self.kept(form)
            guard web.csrfMatches(form) else {
                return self.signInPage(web, next: next, kept: kept, message: web.lang.t("页面已过期，请重新提交。", "The page expired; please send it again."), status: .forbidden)
            }
            do {
                let name = form["username"] ?? "", password = form["password"] ?? ""
                let session = try await self.server.blocking { try self.server.accounts.signIn(name: name, password: password) }
                let cookie = web.cookie(WebRequest.sessionCookie, session.token, maxAge: Int(self.server.accounts.sessionLifetime))
                if session.mustChangePassword { return WebResponse.redirect("/password", cookies: [cookie]) }
                return WebResponse.redirect(Self.prefilled(next, kept), cookies: [cookie])
            } catch {
                let api = APIError.from(error)
                let message = api.status == .tooManyRequests
                    ? web.lang.t("连续登录失败次数过多，账号已临时锁定，请稍后再试。", "Too many failed sign-ins: the account is locked for a while.")
                    : web.lang.t("用户名或密码错误。", "Wrong user name or password.")
                return self.signInPage(web, next: next, kept: kept, message: message, status: api.status == .tooManyRequests ? .tooManyRequests : .unauthorized)
            }
        }
        router.post("/logout") { request, _ in
            await self.post(request) { web, principal, _ in
                try self.server.signOut(tokenHash: principal.tokenHash)
                return WebResponse.redirect("/login", cookies: [web.cookie(WebRequest.sessionCookie, "", maxAge: 0)])
            }
        }
        router.get("/password") { request, _ in
            var web = WebRequest(request)
            guard self.resolve(&web) != nil else { return WebResponse.redirect("/login") }
            return self.passwordPage(web, message: nil)
        }
        router.post("/password") { request, _ in
            var web = WebRequest(request)
            var req = request
            let form = FormBody(String(buffer: (try? await req.collectBody(upTo: Self.maxFormBytes)) ?? ByteBuffer()))
            guard let principal = self.resolve(&web) else { return WebResponse.redirect("/login") }
            guard web.csrfMatches(form) else { return self.passwordPage(web, message: web.lang.t("页面已过期，请重试。", "The page expired; try again."), status: .forbidden) }
            guard form["new_password"] == form["confirm_password"] else {
                return self.passwordPage(web, message: web.lang.t("两次输入的新密码不一致。", "The new passwords differ."), status: .badRequest)
            }
            do {
                try await self.server.blocking {
                    try self.server.accounts.changePassword(userID: principal.user.id ?? 0, current: form["current_password"] ?? "", new: form["new_password"] ?? "")
                }
                self.server.forgetCachedPrincipals()
                return WebResponse.redirect("/")
            } catch {
                return self.passwordPage(web, message: APIError.from(error).fieldErrors.first.map { "\($0.field): \($0.message)" } ?? APIError.from(error).detail, status: .badRequest)
            }
        }
        router.post("/lang") { request, _ in
            var req = request
            let web = WebRequest(request)
            let form = FormBody(String(buffer: (try? await req.collectBody(upTo: 4096)) ?? ByteBuffer()))
            let back = form["_back"].flatMap { WebResponse.isLocal($0) ? $0 : nil } ?? "/"
            let lang = form["to"] == "en" ? "en" : "zh"
            return WebResponse.redirect(back, cookies: [web.cookie(WebRequest.langCookie, lang, maxAge: 365 * 86400)])
        }
    }

    /// The fields of an interrupted form, kept through sign-in (`k.<name>` in the sign-in form).
    static func kept(_ form: FormBody) -> [(String, String)] {
        var out: [(String, String)] = []
        for name in form.order {
            if name.hasPrefix("k.") { out.append((String(name.dropFirst(2)), form[name] ?? "")) }
        }
        return out
    }

    /// `next` with the kept fields as `prefill.<name>` parameters (the form page reads them).
    static func prefilled(_ next: String, _ kept: [(String, String)]) -> String {
        guard !kept.isEmpty else { return next }
        let query = kept.map { "prefill.\(FormBody.encode($0.0))=\(FormBody.encode($0.1))" }.joined(separator: "&")
        return next + (next.contains("?") ? "&" : "?") + query
    }

    /// The sign-in page; `kept` is a form whose session expired (its fields ride along).
    func signInPage(_ web: WebRequest, next: String, kept: FormBody?, message: String?, status: HTTPResponse.Status = .ok) -> Response {
        signInPage(web, next: next, kept: kept.map { form in
            form.order.filter { !$0.hasPrefix("_") }.map { ($0, form[$0] ?? "") }
        } ?? [], message: message, status: status)
    }

    func signInPage(_ web: WebRequest, next: String, kept: [(String, String)], message: String?, status: HTTPResponse.Status = .ok) -> Response {
        let lang = web.lang
        var web = web
        var cookies: [String] = []
        if web.cookies[WebRequest.preCookie] == nil {
            let pre = formTokens.issue()
            cookies.append(web.cookie(WebRequest.preCookie, pre, maxAge: nil))
            web = WebRequest(web.request, pre: pre)
        }
        var h = HTML()
        h.raw("<section class=\"card narrow\"><h1>")
        h.text(lang.t("登录", "Sign in"))
        h.raw("</h1>")
        if let message {
            h.raw("<p class=\"error\" role=\"alert\">")
            h.text(message)
            h.raw("</p>")
        }
        h.raw("<form method=\"post\" action=\"/login\">")
        csrfField(&h, web)
        h.raw("<input type=\"hidden\" name=\"next\"")
        h.attr("value", WebResponse.isLocal(next) ? next : "/")
        h.raw(">")
        for (name, value) in kept {
            h.raw("<input type=\"hidden\"")
            h.attr("name", "k." + name)
            h.attr("value", value)
            h.raw(">")
        }
        h.raw("<label for=\"username\">")
        h.text(lang.t("用户名", "User name"))
        h.raw("</label><input id=\"username\" name=\"username\" autocomplete=\"username\" required autofocus><label for=\"password\">")
        h.text(lang.t("密码", "Password"))
        h.raw("</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required><button type=\"submit\" class=\"primary\">")
        h.text(lang.t("登录", "Sign in"))
        h.raw("</button></form></section>")
        return WebResponse.html(layout(web, nil, title: lang.t("登录", "Sign in"), body: h), status: status, cookies: cookies)
    }

    func passwordPage(_ web: WebRequest, message: String?, status: HTTPResponse.Status = .ok) -> Response {
        let lang = web.lang
        var h = HTML()
        h.raw("<section class=\"card narrow\"><h1>")
        h.text(lang.t("设置新密码", "Choose a new password"))
        h.raw("</h1><p>")
        h.text(lang.t("首次登录请先修改初始密码（至少 8 个字符）。", "On first sign-in, replace the initial password (at least 8 characters)."))
        h.raw("</p>")
        if let message {
            h.raw("<p class=\"error\" role=\"alert\">")
            h.text(message)
            h.raw("</p>")
        }
        h.raw("<form method=\"post\" action=\"/password\">")
        csrfField(&h, web)
        for (name, zh, en, auto) in [("current_password", "当前密码", "Current password", "current-password"),
                                     ("new_password", "新密码", "New password", "new-password"),
                                     ("confirm_password", "确认新密码", "Repeat the new password", "new-password")] {
            h.raw("<label")
            h.attr("for", name)
            h.raw(">")
            h.text(lang.t(zh, en))
            h.raw("</label><input type=\"password\" required")
            h.attr("id", name)
            h.attr("name", name)
            h.attr("autocomplete", auto)
            h.raw(">")
        }
        h.raw("<button type=\"submit\" class=\"primary\">")
        h.text(lang.t("保存", "Save"))
        h.raw("</button></form></section>")
        return WebResponse.html(layout(web, nil, title: lang.t("设置新密码", "New password"), body: h), status: status)
    }
}
