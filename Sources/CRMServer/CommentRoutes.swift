import CRMKernel
import Foundation
import Hummingbird

/// Comments on any record the caller can see (`Comments`):
/// `GET /api/v1/records/{entity}/{id}/comments` (oldest first) and
/// `POST /api/v1/records/{entity}/{id}/comments` with `{"body": "@张伟 请看报价"}`, answering the
/// comment with `mentioned` (user ids notified), `unknown` and `ambiguous` (`@names` that
/// matched no user or several) and `cannot_see` (`@names` of users who may not see the record,
/// not notified).
extension APIServer {
    func addCommentRoutes(_ router: Router<CRMRequestContext>) {
        router.get("/api/v1/records/:entity/:id/comments") { request, context in
            let name = context.parameters.get("entity") ?? "", id = Int64(context.parameters.get("id") ?? "")
            return await self.authed(request, context) { p in
                guard let id else { throw APIError(.notFound, "record ids are integers") }
                let comments = try self.store.read(as: p.access) { try Comments.list(on: name, id, in: $0) }
                let entity = try self.store.schema.entity("comment")
                var w = JSONWriter()
                w.raw("{\"data\":[")
                for (i, c) in comments.enumerated() {
                    if i > 0 { w.raw(",") }
                    w.record(c, entity)
                }
                w.raw("]}")
                return Self.json(.ok, w)
            }
        }
        router.post("/api/v1/records/:entity/:id/comments") { request, context in
            let name = context.parameters.get("entity") ?? "", id = Int64(context.parameters.get("id") ?? "")
            return await self.respond {
                _ = try self.principal(request)  // 401 before the body is read
                let body = try await self.body(request).object("the request body")
                guard case .string(let text)? = body["body"] else {
                    throw APIError(.badRequest, "send {\"body\": \"…\"}", fieldErrors: [FieldError(field: "body", message: "required")])
                }
                return await self.authed(request, context) { p in
                    guard let id else { throw APIError(.notFound, "record ids are integers") }
                    let posted = try self.store.write(as: p.access) { tx in try Comments.post(on: name, id, body: text, in: tx) }
                    return Self.json(.created, CommentJSON.posted(posted, try self.store.schema.entity("comment")))
                }
            }
        }
    }
}

/// A posted comment as JSON.
enum CommentJSON {
    static func posted(_ posted: Comments.Posted, _ entity: EntitySchema) -> JSONWriter {
        var w = JSONWriter()
        w.raw("{\"comment\":")
        w.record(posted.comment, entity)
        w.raw(",\"mentioned\":[")
        w.raw(posted.mentioned.map(String.init).joined(separator: ","))
        w.raw("],\"unknown\":[")
        names(posted.unknown, &w)
        w.raw("],\"ambiguous\":[")
        names(posted.ambiguous, &w)
        w.raw("],\"cannot_see\":[")
        names(posted.cannotSee, &w)
        w.raw("]}")
        return w
    }

    /// `names` as JSON strings, comma-separated.
    static func names(_ names: [String], _ w: inout JSONWriter) {
        for (i, name) in names.enumerated() {
            if i > 0 { w.raw(",") }
            w.string(name)
        }
    }
}
