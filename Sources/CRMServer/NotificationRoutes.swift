import CRMKernel
import Foundation
import Hummingbird

/// The caller's own notifications (task reminders, pool warnings, stalled deals):
/// `GET /api/v1/notifications[?unread=true&limit=50]` and `POST /api/v1/notifications/read`
/// with `{"ids": [...]}` (or `{"all": true}`).
extension APIServer {
    func addNotificationRoutes(_ router: Router<CRMRequestContext>) {
        router.get("/api/v1/notifications") { request, context in
            await self.authed(request, context) { p in
                guard let uid = p.user.id else { throw APIError(.badRequest, "the system user has no notifications") }
                let params = request.uri.queryParameters
                let unread = try Self.flag(params.get("unread"), "unread")
                let limit = try Self.pageLimit(params.get("limit"), max: self.configuration.maxPageSize)
                let entity = try self.store.schema.entity("notification")
                let list = try self.store.read { try Notifications.list(for: uid, unreadOnly: unread, limit: limit, in: $0) }
                var w = JSONWriter()
                w.raw("{\"data\":[")
                for (i, n) in list.enumerated() {
                    if i > 0 { w.raw(",") }
                    w.record(n, entity)
                }
                w.raw("],\"unread\":")
                w.integer(Int64(try self.store.count("notification", filter: .all([.eq("user", .integer(uid)),
                                                                                   .condition(field: "read_at", op: .isEmpty, value: .null)]))))
                w.raw("}")
                return Self.json(.ok, w)
            }
        }
        router.post("/api/v1/notifications/read") { request, context in
            await self.respond {
                _ = try self.principal(request)  // 401 before the body is read
                let body = try await self.body(request).object("the request body")
                return await self.authed(request, context) { p in
                    guard let uid = p.user.id else { throw APIError(.badRequest, "the system user has no notifications") }
                    var ids: [Int64] = []
                    if case .bool(true)? = body["all"] {
                        ids = try self.store.read { try Notifications.list(for: uid, unreadOnly: true, limit: 10_000, in: $0) }.map(\.id)
                    } else if case .array(let items)? = body["ids"] {
                        for item in items {
                            guard case .integer(let id) = item else {
                                throw APIError(.badRequest, "ids must be notification ids", fieldErrors: [FieldError(field: "ids", message: "expected integers")])
                            }
                            ids.append(id)
                        }
                    } else {
                        throw APIError(.badRequest, "send {\"ids\": [...]} or {\"all\": true}", fieldErrors: [FieldError(field: "ids", message: "required")])
                    }
                    let changed = try self.store.write(as: p.user) { tx in try Notifications.markRead(ids, user: uid, in: tx) }
                    return Self.json(.ok, "{\"marked\":\(changed)}")
                }
            }
        }
    }

    /// `true`/`1`, `false`/`0` or absent (false); anything else is a 400 naming the parameter.
    static func flag(_ text: String?, _ name: String) throws -> Bool {
        switch text {
        case nil, "false", "0": return false
        case "true", "1": return true
        default: throw APIError(.badRequest, "\(name) must be true or false", fieldErrors: [FieldError(field: name, message: "expected true or false")])
        }
    }

    /// A page size from 1 to `max` (default 50); anything else is a 400.
    static func pageLimit(_ text: String?, max: Int) throws -> Int {
        guard let text else { return min(50, max) }
        guard let n = Int(text), n >= 1, n <= max else {
            throw APIError(.badRequest, "limit must be a whole number from 1 to \(max)", fieldErrors: [FieldError(field: "limit", message: "expected 1 to \(max)")])
        }
        return n
    }
}
