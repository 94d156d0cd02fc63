import CRMKernel
import CRMServer
import Foundation
import Hummingbird

/// Running a page: the session, CSRF on posts, the worker threads, and errors as pages.
extension WebApp {
    /// Largest form accepted.
    static let maxFormBytes = 1 << 20

    /// A page for signed-in users; others go to the sign-in page and come back.
    func page(_ request: Request, _ body: @escaping @Sendable (WebRequest, Principal) throws -> Response) async -> Response {
        var web = WebRequest(request)
        guard let principal = resolve(&web) else {
            return WebResponse.redirect("/login?next=" + FormBody.encode(web.here))
        }
        if principal.mustChangePassword { return WebResponse.redirect("/password") }
        return await guarded(web) { try body(web, principal) }
    }

    /// A form post for signed-in users: checks the CSRF token, then runs `body` on a worker
    /// thread. A post whose session expired shows the sign-in page keeping what was typed.
    func post(_ request: Request, _ body: @escaping @Sendable (WebRequest, Principal, FormBody) throws -> Response) async -> Response {
        var web = WebRequest(request)
        var req = request
        guard let buffer = try? await req.collectBody(upTo: Self.maxFormBytes) else {
            return errorPage(web, nil, .contentTooLarge, web.lang.t("提交的内容太大", "The form is too large"))
        }
        let form = FormBody(String(buffer: buffer))
        guard let principal = resolve(&web) else {
            return signInPage(web, next: form["_back"] ?? "/", kept: form, message: web.lang.t("登录已过期，请重新登录；已填写的内容会保留。", "Your session expired: sign in again; what you typed is kept."), status: .unauthorized)
        }
        guard web.csrfMatches(form) else {
            return errorPage(web, principal, .forbidden, web.lang.t("表单已失效（安全校验失败），请返回刷新后重试。", "The form is no longer valid (security check failed); go back, reload and try again."))
        }
        if principal.mustChangePassword { return WebResponse.redirect("/password") }
        let signedIn = web
        return await guarded(signedIn, principal) {
            let budget = ScriptBudget.current
            return try await self.server.blocking { try ScriptBudget.within(budget) { try body(signedIn, principal, form) } }
        }
    }

    /// Fills in the principal from the session cookie; nil when there is no good session.
    func resolve(_ web: inout WebRequest) -> Principal? {
        guard let token = web.cookies[WebRequest.sessionCookie], !token.isEmpty,
              let principal = try? server.principal(token: token) else { return nil }
        web.token = token
        web.principal = principal
        return principal
    }

    /// Runs `body`, turning errors into pages (404 for what does not exist or is out of scope).
    func guarded(_ web: WebRequest, _ principal: Principal? = nil, _ body: () async throws -> Response) async -> Response {
        do { return try await ScriptBudget.scope(ScriptBudget(.request)) { try await body() } } catch {
            let api = APIError.from(error)
            let status: HTTPResponse.Status = api.status == .forbidden && api.fieldErrors.isEmpty ? .forbidden : api.status
            let message: String
            switch status {
            case .notFound: message = web.lang.t("页面或记录不存在，或您无权查看。", "This page or record does not exist, or you may not see it.")
            case .forbidden: message = web.lang.t("您没有权限执行此操作。", "You are not allowed to do this.")
            default: message = api.detail
            }
            return errorPage(web, principal ?? web.principal, status, message)
        }
    }

    /// A page telling what went wrong, with the status.
    func errorPage(_ web: WebRequest, _ principal: Principal?, _ status: HTTPResponse.Status, _ message: String) -> Response {
        var h = HTML()
        h.raw("<section class=\"card\"><h1>")
        h.text(status == .notFound ? web.lang.t("未找到", "Not found") : web.lang.t("无法完成", "Could not be done"))
        h.raw("</h1><p role=\"alert\">")
        h.text(message)
        h.raw("</p><p><a href=\"/\">")
        h.text(web.lang.t("返回首页", "Back to the start page"))
        h.raw("</a></p></section>")
        return WebResponse.html(layout(web, principal, title: "\(status.code)", body: h), status: status)
    }
}
