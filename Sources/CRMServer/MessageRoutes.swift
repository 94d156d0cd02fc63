import CRMKernel
import Foundation
import Hummingbird

/// The outbox of e-mails and text messages, for administrators:
/// `GET /api/v1/messages[?status=失败&source=campaign:3&limit=50]` (newest first, with counts by
/// status) and `POST /api/v1/messages/{id}/retry` (queue a failed message again).
extension APIServer {
    func addMessageRoutes(_ router: Router<CRMRequestContext>) {
        router.get("/api/v1/messages") { request, context in
            await self.authed(request, context) { p in
                try p.access.requireAdministrator()
                let params = request.uri.queryParameters
                var status: MessageStatus?
                if let text = params.get("status") {
                    guard let s = MessageStatus(rawValue: text) else {
                        throw APIError(.badRequest, "unknown status", fieldErrors: [
                            FieldError(field: "status", message: "expected one of \(MessageStatus.allCases.map(\.rawValue).joined(separator: ", "))")])
                    }
                    status = s
                }
                let limit = try Self.pageLimit(params.get("limit"), max: self.configuration.maxPageSize)
                let source = params.get("source")
                let entity = try self.store.schema.entity("message")
                let (list, counts) = try self.store.read { reader in
                    (try Messages.list(status: status, source: source, limit: limit, in: reader),
                     try MessageStatus.allCases.map { s in
                         (s, try reader.count("message", filter: .all([.eq("status", .text(s.rawValue))] + (source.map { [.eq("source", .text($0))] } ?? []))))
                     })
                }
                var w = JSONWriter()
                w.raw("{\"data\":[")
                for (i, m) in list.enumerated() {
                    if i > 0 { w.raw(",") }
                    w.record(m, entity)
                }
                w.raw("],\"counts\":{")
                for (i, (s, n)) in counts.enumerated() {
                    if i > 0 { w.raw(",") }
                    w.string(s.rawValue); w.raw(":"); w.integer(Int64(n))
                }
                w.raw("}}")
                return Self.json(.ok, w)
            }
        }
        router.post("/api/v1/messages/:id/retry") { request, context in
            let text = try context.parameters.require("id")
            return await self.authed(request, context) { p in
                try p.access.requireAdministrator()
                guard let id = Int64(text) else {
                    throw APIError(.badRequest, "message id must be an integer", fieldErrors: [FieldError(field: "id", message: "expected an integer")])
                }
                let entity = try self.store.schema.entity("message")
                let record = try self.store.write(as: p.user) { tx in try Messages.retry(id, in: tx) }
                var w = JSONWriter()
                w.record(record, entity)
                return Self.json(.ok, w)
            }
        }
    }
}
