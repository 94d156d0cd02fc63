import CRMKernel
import CRMServer
import Foundation
import Hummingbird
import NIOCore

/// What a page handler knows about the request: the language, whether it came over TLS, the
/// cookies, and once resolved the signed-in user with the CSRF token of their session.
struct WebRequest: Sendable {
    static let sessionCookie = "crm_session"
    static let langCookie = "crm_lang"
    static let preCookie = "crm_pre"

    let request: Request
    let cookies: [String: String]
    let lang: Lang
    /// Behind TLS (directly, or a proxy saying `X-Forwarded-Proto: https`): cookies get `Secure`.
    let secure: Bool
    /// The signed-in user, when the session cookie is good.
    var principal: Principal?
    /// The session token from the cookie.
    var token: String? {
        didSet { csrf = Self.csrf(token: token, cookies: cookies) }
    }
    /// The CSRF token for forms of this session: an HMAC of the session token, so it needs no
    /// storage and dies with the session. Before sign-in, the pre-session cookie stands in.
    /// Worked out once per request (a board of 200 deals has a form per card).
    private(set) var csrf: String
    /// The page this answer stands for when it is not the request's own path: a refused form
    /// action re-renders the page the form came from, and links back (the language switch) must
    /// go there, not to the action's POST route.
    var shownPath: String?

    init(_ request: Request, pre: String? = nil) {
        self.request = request
        var cookies: [String: String] = [:]
        if let pre { cookies[Self.preCookie] = pre }
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let kv = part.split(separator: "=", maxSplits: 1)
                guard kv.count == 2 else { continue }
                let name = kv[0].trimmingCharacters(in: .whitespaces)
                if name == Self.preCookie, pre != nil { continue }
                cookies[name] = String(kv[1]).trimmingCharacters(in: .whitespaces)
            }
        }
        self.cookies = cookies
        csrf = Self.csrf(token: nil, cookies: cookies)
        lang = cookies[Self.langCookie] == "en" ? .en : .zh
        let proto = request.headers[.init("X-Forwarded-Proto")!]?.lowercased()
        secure = proto == "https" || request.uri.scheme == .https
    }

    /// The CSRF token of session `token`, or the pre-session cookie's value without one.
    private static func csrf(token: String?, cookies: [String: String]) -> String {
        if let token { return String(Digests.hmacSHA256Hex(Data(token.utf8), key: "crm-web-csrf").prefix(32)) }
        return cookies[preCookie] ?? ""
    }

    /// Whether a posted form carries this session's CSRF token.
    func csrfMatches(_ form: FormBody) -> Bool {
        let expected = csrf
        guard !expected.isEmpty, let sent = form["_csrf"], sent.utf8.count == expected.utf8.count else { return false }
        var diff: UInt8 = 0
        for (a, b) in zip(sent.utf8, expected.utf8) { diff |= a ^ b }
        return diff == 0
    }

    /// The path and query of the request (to come back to after sign-in).
    var here: String {
        if let shownPath { return shownPath }
        let q = request.uri.query.map { "?" + $0 } ?? ""
        return request.uri.path + q
    }

    /// The query string as a form.
    var query: FormBody { FormBody(request.uri.query ?? "") }

    /// A `Set-Cookie` value with the interface's flags.
    func cookie(_ name: String, _ value: String, maxAge: Int?, httpOnly: Bool = true) -> String {
        var c = "\(name)=\(value); Path=/; SameSite=Lax"
        if httpOnly { c += "; HttpOnly" }
        if secure { c += "; Secure" }
        if let maxAge { c += "; Max-Age=\(maxAge)" }
        return c
    }
}

/// Responses of the web interface.
enum WebResponse {
    /// A page.
    static func html(_ page: HTML, status: HTTPResponse.Status = .ok, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        headers[.init("X-Content-Type-Options")!] = "nosniff"
        headers[.init("Content-Security-Policy")!] = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"
        for c in cookies { headers.append(.init(name: .setCookie, value: c)) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: page.bytes)))
    }

    /// A redirect after a post (303 See Other).
    static func redirect(_ location: String, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        for c in cookies { headers.append(.init(name: .setCookie, value: c)) }
        return Response(status: .seeOther, headers: headers)
    }

    /// Whether `path` is a local path safe to redirect to (no `//host`, no scheme, and no control
    /// character: browsers drop tabs and newlines, so `/<tab>/host` would become `//host`).
    static func isLocal(_ path: String) -> Bool {
        path.hasPrefix("/") && !path.hasPrefix("//") && !path.hasPrefix("/\\")
            && !path.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }
}
