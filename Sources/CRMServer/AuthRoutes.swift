import CRMKernel
import Foundation
import Hummingbird

/// Sign-in, sign-out, password change, the caller's own profile, and their API tokens.
extension APIServer {
    func addAuthRoutes(_ router: Router<CRMRequestContext>) {
        let auth = router.group("/api/v1/auth")
        auth.post("login") { request, _ in
            await self.respond {
                let body = try await self.body(request).object("the request body")
                guard case .string(let name)? = body["username"] ?? body["name"], case .string(let password)? = body["password"] else {
                    throw APIError(.badRequest, "username and password are required",
                                   fieldErrors: [FieldError(field: "username", message: "required"), FieldError(field: "password", message: "required")])
                }
                let session = try await self.blocking { try self.accounts.signIn(name: name, password: password) }
                var w = JSONWriter()
                w.raw("{\"token\":"); w.string(session.token)
                w.raw(",\"token_type\":\"Bearer\",\"expires_at\":"); w.string(DateCoding.iso(session.expiresAt))
                w.raw(",\"must_change_password\":\(session.mustChangePassword)")
                w.raw(",\"user\":"); self.writeUser(&w, session.user)
                w.raw("}")
                return Self.json(.ok, w)
            }
        }
        auth.post("logout") { request, context in
            await self.authed(request, context, allowPasswordChange: true) { p in
                try self.store.revokeToken(hash: p.tokenHash)
                self.authenticator.forgetAll()
                return Response(status: .noContent)
            }
        }
        auth.post("password") { request, context in
            await self.respond {
                _ = try self.principal(request, allowPasswordChange: true)  // 401 before the body is read
                let body = try await self.body(request).object("the request body")
                return await self.authed(request, context, allowPasswordChange: true) { p in
                    guard case .string(let current)? = body["current_password"], case .string(let new)? = body["new_password"] else {
                        throw APIError(.badRequest, "current_password and new_password are required",
                                       fieldErrors: [FieldError(field: "current_password", message: "required"), FieldError(field: "new_password", message: "required")])
                    }
                    try self.accounts.changePassword(userID: p.user.id ?? 0, current: current, new: new)
                    self.authenticator.forgetAll()
                    return Response(status: .noContent)
                }
            }
        }
        router.get("/api/v1/me") { request, context in
            await self.authed(request, context) { p in
                guard let id = p.user.id, let user = try self.store.get("user", id) else { throw APIError(.notFound, "no such user") }
                var w = JSONWriter()
                self.writeUser(&w, user)
                w.dropLast()
                w.raw(",\"administrator\":\(p.access.isAdministrator),\"grants\":{")
                let names = self.store.schema.entityNames.filter { p.access.allows(.read, on: $0) }
                for (i, name) in names.enumerated() {
                    if i > 0 { w.raw(",") }
                    w.string(name)
                    w.raw(":[")
                    w.raw(AccessAction.allCases.filter { p.access.allows($0, on: name) }.map { "\"\($0.rawValue)\"" }.joined(separator: ","))
                    w.raw("]")
                }
                w.raw("}}")
                return Self.json(.ok, w)
            }
        }
        router.post("/api/v1/tokens") { request, context in
            await self.respond {
                _ = try self.principal(request)  // 401 before the body is read
                let buffer = try await self.rawBody(request)
                let body = buffer.readableBytes == 0 ? [:] : try JSONValue.parse(Data(buffer.readableBytesView)).object("the request body")
                return await self.authed(request, context) { p in
                    let ask = try TokenRequest(body, caller: p.user.name)
                    if ask.user != p.user.name { try p.access.requireAdministrator() }
                    let made = try self.accounts.createToken(for: ask.user, label: ask.label, expiresAt: ask.expiresAt, by: p.user)
                    var w = JSONWriter()
                    w.raw("{\"id\":\(made.id),\"token\":"); w.string(made.token)
                    w.raw(",\"user\":"); w.string(ask.user)
                    w.raw(",\"label\":"); w.string(ask.label)
                    w.raw(",\"expires_at\":"); w.string(DateCoding.iso(made.expiresAt))
                    w.raw(",\"must_change_password\":\(made.limitedToPasswordChange)")
                    w.raw("}")
                    return Self.json(.created, w)
                }
            }
        }
        router.delete("/api/v1/tokens/:id") { request, context in
            let id = context.parameters.get("id").flatMap { Int64($0) }
            return await self.authed(request, context) { p in
                let mine = p.access.isAdministrator ? nil : p.user.id
                guard let id, try self.store.revokeToken(id: id, userID: mine) else { throw APIError(.notFound, "no such live token") }
                self.authenticator.forgetAll()
                return Response(status: .noContent)
            }
        }
    }

    func writeUser(_ w: inout JSONWriter, _ user: Record) {
        w.raw("{\"id\":\(user.id),\"name\":"); w.value(user["name"])
        w.raw(",\"display_name\":"); w.value(user["display_name"])
        w.raw(",\"role\":"); w.value(user["role"])
        w.raw(",\"team\":"); w.value(user["team"])
        w.raw("}")
    }
}
