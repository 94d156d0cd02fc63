import CRMKernel
import Foundation
import Hummingbird

/// The durable event consumers over HTTP, for administrators: where each consumer and webhook
/// stands in the outbox (`GET /api/v1/admin/events`, as `crm events` lists them) and running a
/// failed consumer again now (`POST /api/v1/admin/events/{consumer}/retry`).
extension APIServer {
    func addEventRoutes(_ router: Router<CRMRequestContext>) {
        router.get("/api/v1/admin/events") { request, context in
            await self.authed(request, context) { p in
                try p.access.requireAdministrator()
                var w = JSONWriter()
                w.dataList(try self.store.consumerStatuses()) { w, s in
                    w.raw("{\"consumer\":"); w.string(s.id)
                    w.raw(",\"events\":"); w.value(.list(s.events))
                    w.raw(",\"seq\":\(s.seq),\"lag\":\(s.lag),\"attempts\":\(s.attempts),\"last_error\":")
                    w.value(s.lastError.map(Value.text) ?? .null)
                    w.raw(",\"retry_at\":"); w.value(s.retryAt.map(Value.datetime) ?? .null)
                    w.raw("}")
                }
                return Self.json(.ok, w)
            }
        }
        router.post("/api/v1/admin/events/:consumer/retry") { request, context in
            let consumer = try context.parameters.require("consumer")
            return await self.authed(request, context) { p in
                try p.access.requireAdministrator()
                let report = try self.store.retryConsumer(consumer)
                var w = JSONWriter()
                w.raw("{\"consumer\":"); w.string(consumer)
                w.raw(",\"handled\":\(report.handled[consumer] ?? 0),\"error\":")
                w.value(report.failures[consumer].map(Value.text) ?? .null)
                w.raw("}")
                return Self.json(.ok, w)
            }
        }
    }
}
