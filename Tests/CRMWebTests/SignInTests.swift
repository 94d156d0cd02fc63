import CRMKernel
import Foundation
import HummingbirdTesting
import Testing

/// Sign-in, the forced password change, lockout, sign-out and the session cookie's flags.
struct SignInTests {
    @Test func signInSetsAnHttpOnlyLaxCookieAndSecureBehindTLS() async throws {
        let f = try WebFixture()
        try await f.withClient { c in
            let b = Browser(c)
            let page = try await b.signIn("rep1")
            #expect(page.status == 303)
            let cookie = try #require(page.headers[values: .setCookie].first { $0.hasPrefix("crm_session=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && !cookie.contains("Secure"))
            #expect(try await b.get("/").status == 200)

            let tls = Browser(c)
            let form = try await tls.send(.get, "/login", body: nil, headers: [.init("X-Forwarded-Proto")!: "https"])
            let body = "_csrf=\(form.hidden("_csrf") ?? "")&next=%2F&username=rep1&password=\(WebFixture.password)"
            let signed = try await tls.send(.post, "/login", body: body, headers: [.init("X-Forwarded-Proto")!: "https"])
            #expect(signed.headers[values: .setCookie].contains { $0.hasPrefix("crm_session=") && $0.contains("; Secure") })
        }
    }

    @Test func aPageWithoutASessionSendsToSignInAndBack() async throws {
        let f = try WebFixture()
        try await f.withClient { c in
            let b = Browser(c)
            let page = try await b.get("/e/customer")
            #expect(page.status == 303)
            #expect(page.location == "/login?next=%2Fe%2Fcustomer")
            let signed = try await b.signIn("rep1", next: "/e/customer")
            #expect(signed.location == "/e/customer")
        }
    }

    @Test func firstSignInForcesANewPassword() async throws {
        let f = try WebFixture(initial: ["rep1"])
        try await f.withClient { c in
            let b = Browser(c)
            #expect(try await b.signIn("rep1").location == "/password")
            #expect(try await b.get("/e/customer").location == "/password")
            let form = try await b.get("/password")
            let csrf = try #require(form.hidden("_csrf"))
            let mismatch = try await b.post("/password", [("_csrf", csrf), ("current_password", WebFixture.password), ("new_password", "another-pass-2"), ("confirm_password", "different-3")])
            #expect(mismatch.status == 400)
            let changed = try await b.post("/password", [("_csrf", csrf), ("current_password", WebFixture.password), ("new_password", "another-pass-2"), ("confirm_password", "another-pass-2")])
            #expect(changed.location == "/")
            #expect(try await b.get("/e/customer").status == 200)
        }
    }

    @Test func repeatedFailuresLockTheAccount() async throws {
        let f = try WebFixture()
        try await f.withClient { c in
            let b = Browser(c)
            for _ in 0..<5 { #expect(try await b.signIn("rep1", password: "wrong-password").status == 401) }
            let locked = try await b.signIn("rep1")
            #expect(locked.status == 429)
            #expect(locked.html.contains("锁定"))
            #expect(b.cookies["crm_session"] == nil)
        }
    }

    @Test func signOutEndsTheSession() async throws {
        let f = try WebFixture()
        try await f.withClient { c in
            let b = Browser(c)
            try await b.signIn("rep1")
            let token = try #require(b.cookies["crm_session"])
            let out = try await b.post("/logout", [("_csrf", try await b.csrf())])
            #expect(out.location == "/login")
            b.cookies["crm_session"] = token  // a copied cookie no longer works either
            #expect(try await b.get("/").status == 303)
        }
    }

    @Test func aPostWithoutTheCSRFTokenIsRefusedAndWritesNothing() async throws {
        let f = try WebFixture()
        try await f.withClient { c in
            let b = Browser(c)
            try await b.signIn("rep1")
            let form = try await b.get("/e/customer/new")
            let once = try #require(form.hidden("_once"))
            let refused = try await b.post("/e/customer", [("_once", once), ("name", "无令牌客户"), ("phone", "13900000001"), ("industry", "制造业"), ("source", "展会推荐")])
            #expect(refused.status == 403)
            let wrong = try await b.post("/e/customer", [("_csrf", "0123456789abcdef0123456789abcdef"), ("_once", once), ("name", "无令牌客户")])
            #expect(wrong.status == 403)
            #expect(try f.host.workspace.store.count("customer") == 0)
        }
    }
}
