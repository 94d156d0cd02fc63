import CRMKernel
import CRMServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Issue 19: every bad input is a clear 4xx in problem+json, no lost updates.
struct HardeningAPITests {
    static func encoded(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }

    @Test func deepOrLargeFiltersAreRefusedNamingTheLimit() async throws {
        let f = try ServerFixture()
        let boss = f.tokens["boss"]!
        try await f.withClient { c in
            var deep = #"{"city":"深圳"}"#
            for _ in 0..<90 { deep = #"{"_or":[\#(deep),{"city":"x"}]}"# }
            let r = try await c.call(.get, "/api/v1/records/customer?filter=\(Self.encoded(deep))", token: boss)
            #expect(r.status == 400 && r.text.contains("levels"), "\(r.status) \(r.text)")
            var notDeep = #"{"city":"深圳"}"#
            for _ in 0..<500 { notDeep = #"{"_not":\#(notDeep)}"# }
            let n = try await c.call(.get, "/api/v1/records/customer?filter=\(Self.encoded(notDeep))", token: boss)
            #expect(n.status == 400 && n.headers[.contentType] == "application/problem+json", "\(n.status) \(n.text)")
            let wide = "{\"_or\":[" + (0..<300).map { #"{"city":"c\#($0)"}"# }.joined(separator: ",") + "]}"
            let w = try await c.call(.get, "/api/v1/records/customer?filter=\(Self.encoded(wide))", token: boss)
            #expect(w.status == 400 && w.text.contains("200 parts"), "\(w.status) \(w.text)")
            var ok = #"{"city":"深圳"}"#
            for _ in 0..<10 { ok = #"{"_or":[\#(ok),{"city":"x"}]}"# }
            #expect(try await c.call(.get, "/api/v1/records/customer?filter=\(Self.encoded(ok))", token: boss).status == 200)
        }
    }

    @Test func integersBeyondInt64AreFieldErrorsNeverWrapped() async throws {
        let f = try ServerFixture()
        let boss = f.tokens["boss"]!
        try await f.withClient { c in
            for number in ["18446744073709551617", "9223372036854775808", "-9223372036854775809", "1e30"] {
                let r = try await c.call(.post, "/api/v1/records/customer", token: boss, body: customerJSON("甲公司", phone: "13900000001", extra: #","owner":\#(number)"#))
                #expect(r.status == 400 && r.text.contains("\"field\":\"owner\""), "\(number): \(r.text)")
                if number.hasPrefix("9223") { #expect(r.text.contains("out of range") && !r.text.contains("at least")) }
            }
            #expect(try await c.call(.get, "/api/v1/records/customer", token: boss).data.isEmpty)
        }
    }

    @Test func datetimesThatWouldRollOverAreRefused() async throws {
        let f = try ServerFixture()
        let boss = f.tokens["boss"]!
        try await f.withClient { c in
            for bad in ["2026-02-30T00:00:00Z", "2026-01-01T25:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T10:00:60Z",
                        "2026-01-01T10:61:00Z", "2026-01-01T10:00:00.5Z", "0000-01-01T00:00:00Z", "2026-01-01T10:00:00"] {
                let r = try await c.call(.post, "/api/v1/records/customer", token: boss, body: customerJSON("甲公司", phone: "13900000001", extra: #","last_followup_at":"\#(bad)""#))
                #expect(r.status == 400 && r.text.contains("last_followup_at"), "\(bad): \(r.text)")
            }
            let good = try await c.call(.post, "/api/v1/records/customer", token: boss, body: customerJSON("乙公司", phone: "13900000002", extra: #","last_followup_at":"2026-11-22T16:30:00.000+08:00","entry_date":"2024-02-29""#))
            #expect(good.status == 201 && good.object["last_followup_at"] as? String == "2026-11-22T08:30:00Z", "\(good.text)")
            let old = try await c.call(.post, "/api/v1/records/customer", token: boss, body: customerJSON("丙公司", phone: "13900000003", extra: #","entry_date":"0000-01-01""#))
            #expect(old.status == 400 && old.text.contains("entry_date"))
        }
    }

    @Test func staleIfMatchIsRefusedWith412AndETagsFollowVersions() async throws {
        let f = try ServerFixture()
        let boss = f.tokens["boss"]!
        try await f.withClient { c in
            let made = try await c.call(.post, "/api/v1/records/customer", token: boss, body: customerJSON("甲公司", phone: "13900000001"))
            let id = try #require(made.object["id"] as? Int)
            #expect(made.object["version"] as? Int == 1)
            let got = try await c.call(.get, "/api/v1/records/customer/\(id)", token: boss)
            #expect(got.headers[.eTag] == "\"1\"")
            var headers: HTTPFields = [.authorization: "Bearer \(boss)", .contentType: "application/json", .ifMatch: "\"1\""]
            let first = try await c.execute(uri: "/api/v1/records/customer/\(id)", method: .patch, headers: headers, body: ByteBuffer(string: #"{"city":"深圳"}"#)) { $0 }
            #expect(first.status == .ok && first.headers[.eTag] == "\"2\"")
            let second = try await c.execute(uri: "/api/v1/records/customer/\(id)", method: .patch, headers: headers, body: ByteBuffer(string: #"{"city":"广州"}"#)) { $0 }
            #expect(second.status == .preconditionFailed && second.headers[.contentType] == "application/problem+json")
            headers[.ifMatch] = "\"1\""
            let delete = try await c.execute(uri: "/api/v1/records/customer/\(id)", method: .delete, headers: headers) { $0.status }
            #expect(delete == .preconditionFailed)
            #expect(try await c.call(.get, "/api/v1/records/customer/\(id)", token: boss).object["city"] as? String == "深圳")
            headers[.ifMatch] = "\"2\""
            #expect(try await c.execute(uri: "/api/v1/records/customer/\(id)", method: .delete, headers: headers) { $0.status } == .noContent)
        }
    }

    @Test func sixteenConcurrentTagAppendersKeepAllSixteenTags() async throws {
        let f = try ServerFixture()
        let boss = f.tokens["boss"]!
        try await f.withClient { c in
            let made = try await c.call(.post, "/api/v1/records/customer", token: boss, body: customerJSON("甲公司", phone: "13900000001", extra: #","tags":["old","gone"]"#))
            let id = try #require(made.object["id"] as? Int)
            try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<16 {
                    group.addTask {
                        let body = i == 0 ? #"{"tags":{"add":["t0"],"remove":["gone"]}}"# : #"{"tags":{"add":["t\#(i)"]}}"#
                        return try await c.call(.patch, "/api/v1/records/customer/\(id)", token: boss, body: body).status
                    }
                }
                for try await status in group { #expect(status == 200) }
            }
            let tags = try await c.call(.get, "/api/v1/records/customer/\(id)", token: boss).object["tags"] as? [String] ?? []
            #expect(Set(tags) == Set(["old"] + (0..<16).map { "t\($0)" }), "\(tags)")
            let wrong = try await c.call(.patch, "/api/v1/records/customer/\(id)", token: boss, body: #"{"city":{"add":["x"]}}"#)
            #expect(wrong.status == 400 && wrong.text.contains("city"))
        }
    }

    @Test func unknownAndExistingNamesLockOutAlike() async throws {
        let f = try ServerFixture()
        let accounts = Accounts(store: f.host.workspace.store)
        try accounts.setPassword("correct horse battery", for: f.ids["rep1"]!, initial: false, by: .system)
        try await f.withClient { c in
            func signIn(_ name: String) async throws -> Reply {
                try await c.call(.post, "/api/v1/auth/login", token: nil, body: #"{"name":"\#(name)","password":"wrong password"}"#)
            }
            for _ in 0..<5 {
                let real = try await signIn("rep1"), ghost = try await signIn("nobody")
                #expect(real.status == 401 && ghost.status == 401 && real.text == ghost.text)
            }
            let real = try await signIn("rep1"), ghost = try await signIn("nobody")
            #expect(real.status == 429 && ghost.status == 429, "\(real.status) \(ghost.status)")
            #expect(real.headers[.retryAfter] != nil && ghost.headers[.retryAfter] != nil)
        }
    }

    @Test func everyErrorIsProblemJSON() async throws {
        let f = try ServerFixture()
        let boss = f.tokens["boss"]!
        try await f.withClient { c in
            let trace = try await c.execute(uri: "/api/v1/records/customer", method: .init("TRACE")!, headers: [:]) { $0 }
            #expect(trace.status == .methodNotAllowed && trace.headers[.allow] != nil && trace.headers[.contentType] == "application/problem+json")
            let unknown = try await c.call(.get, "/api/v1/no-such-thing", token: boss)
            #expect(unknown.status == 404 && unknown.headers[.contentType] == "application/problem+json" && unknown.object["status"] as? Int == 404)
            let dots = try await c.call(.get, "/api/v1/records/../../etc/passwd", token: boss)
            #expect(dots.headers[.contentType] == "application/problem+json" && dots.status >= 400 && dots.status < 500)
            let malformed = try await c.call(.post, "/api/v1/records/customer", token: boss, body: "{\n  \"name\": \"甲\",\n  \"city\" \"x\"\n}")
            #expect(malformed.status == 400 && malformed.text.contains("line 3, column 10"), "\(malformed.text)")
            #expect(!malformed.text.contains("Dictionary") && !malformed.text.contains("DecodingError"))
            let typed = try await c.call(.post, "/api/v1/records/customer", token: boss, body: "[1,2]")
            #expect(typed.status == 400 && !typed.text.contains("Swift"))
        }
    }

    @Test func quietAcceptanceIsNowRefused() async throws {
        let f = try ServerFixture()
        let boss = f.tokens["boss"]!
        try await f.withClient { c in
            #expect(try await c.call(.get, "/api/v1/records/customer?limit=501", token: boss).status == 400)
            #expect(try await c.call(.get, "/api/v1/records/customer?limit=500", token: boss).status == 200)
            #expect(try await c.call(.get, "/api/v1/records/customer?total=maybe", token: boss).status == 400)
            let plain = try await c.execute(uri: "/api/v1/records/customer", method: .post,
                                            headers: [.authorization: "Bearer \(boss)", .contentType: "text/plain"],
                                            body: ByteBuffer(string: customerJSON("甲公司", phone: "13900000001"))) { $0.status }
            #expect(plain == .unsupportedMediaType)
            for (extra, field) in [(#","name":"   ""#, "name"), (#","name":"\u200b\u200b""#, "name"), (#","city":"a\u0000b""#, "city")] {
                let body = #"{"phone":"13900000001","industry":"制造业","source":"展会推荐"\#(extra)}"#
                let r = try await c.call(.post, "/api/v1/records/customer", token: boss, body: body)
                #expect(r.status == 400 && r.text.contains("\"field\":\"\(field)\""), "\(extra): \(r.text)")
            }
            let dup = try await c.call(.post, "/api/v1/records/customer", token: boss, body: #"{"name":"甲","name":"乙","phone":"13900000001"}"#)
            #expect(dup.status == 400 && dup.text.contains("appears twice"))
            #expect(try await c.call(.get, "/api/v1/records/customer", token: boss).data.isEmpty)
        }
    }

    @Test func aRevokedTokenIsRefusedOnTheVeryNextRequest() async throws {
        let f = try ServerFixture()
        let store = f.host.workspace.store
        let minted = try Accounts(store: store).createToken(for: "rep1", label: "t", expiresAt: Date().addingTimeInterval(3600), by: .system)
        try await f.withClient { c in
            #expect(try await c.call(.get, "/api/v1/records/customer", token: minted.token).status == 200)
            try store.revokeToken(id: minted.id)  // as the console or an administrator would, not through /auth
            #expect(try await c.call(.get, "/api/v1/records/customer", token: minted.token).status == 401)
        }
    }

    @Test func weakPasswordsAreRefusedOnEveryPath() throws {
        let f = try ServerFixture()
        let store = f.host.workspace.store
        let accounts = Accounts(store: store)
        let rep = f.ids["rep1"]!
        for weak in ["        ", "short", "rep1rep1", "password123", "Qwertyuiop"] {
            #expect(throws: KernelError.self, "\(weak)") { try accounts.setPassword(weak, for: rep, initial: false, by: .system) }
        }
        try accounts.setPassword("rep1rep1", for: f.ids["rep2"]!, initial: false, by: .system)
        try store.setSetting(PasswordPolicy.minLengthSetting, "12")
        #expect(throws: KernelError.self) { try accounts.setPassword("a1b2c3d4e5", for: rep, initial: false, by: .system) }
        try accounts.setPassword("a1b2c3d4e5f6", for: rep, initial: false, by: .system)
    }
}
