import CRMKernel
import Foundation
import Hummingbird

/// `/api/v1/records/{entity}`: list, get, create, partial update, delete and bulk writes for
/// every entity in force. The kernel applies the caller's grants, record scope and hidden and
/// read-only fields (the routes pass the resolved guard); a route only checks the grant early
/// so that a refused request is refused before its body is read.
extension APIServer {
    /// Largest number of records in one bulk request.
    static let maxBulk = 1000

    func addRecordRoutes(_ router: Router<CRMRequestContext>) {
        let records = router.group("/api/v1/records")
        records.get(":entity") { request, context in
            let name = try context.parameters.require("entity")
            return await self.authed(request, context) { p in try self.list(name, request.uri.queryParameters, p) }
        }
        records.post(":entity") { request, context in
            let started = self.profiler == nil ? 0 : WriteProfiler.now()
            let name = try context.parameters.require("entity")
            return await self.respond {
                let p = try self.principal(request)  // 401 before the body is read
                let json = try await self.body(request)
                let entity = try self.entity(name, .create, p)
                let values = try json.recordValues()
                let record = try await self.writer.write(as: p.access, since: started) { tx in try tx.create(name, values) }
                var w = JSONWriter()
                w.record(record, entity, hidden: p.access.hiddenFields(name))
                return Self.json(.created, w, headers: [.location: "/api/v1/records/\(name)/\(record.id)"])
            }
        }
        records.post(":entity/bulk") { request, context in
            let name = try context.parameters.require("entity")
            return await self.respond {
                _ = try self.principal(request)  // 401 before the body is read
                let json = try await self.body(request)
                return await self.authed(request, context) { p in try self.bulk(name, json, update: false, p) }
            }
        }
        records.patch(":entity/bulk") { request, context in
            let name = try context.parameters.require("entity")
            return await self.respond {
                _ = try self.principal(request)  // 401 before the body is read
                let json = try await self.body(request)
                return await self.authed(request, context) { p in try self.bulk(name, json, update: true, p) }
            }
        }
        records.get(":entity/:id") { request, context in
            let name = try context.parameters.require("entity"), id = context.parameters.get("id")
            return await self.authed(request, context) { p in
                // Straight from the row to the bytes sent: the same JSON as `JSONWriter.record`
                // of the decoded record (`RecordReadFastPathTests`), without building it.
                _ = try self.entity(name, .read, p)
                guard let id, let rid = Int64(id) else { throw APIError(.notFound, "\(name) \(id ?? "") does not exist") }
                guard let found = try self.store.json(name, rid, as: p.access) else {
                    throw APIError(.notFound, "\(name) \(rid) does not exist", type: "not-found")
                }
                return Self.json(.ok, bytes: found.bytes, headers: Self.etag(version: found.version))
            }
        }
        records.get(":entity/:id/history") { request, context in
            let name = try context.parameters.require("entity"), id = context.parameters.get("id")
            return await self.authed(request, context) { p in
                _ = try self.entity(name, .read, p)
                guard let id, let rid = Int64(id) else { throw APIError(.notFound, "\(name) \(id ?? "") does not exist") }
                var w = JSONWriter()
                w.raw("{\"data\":[")
                for (i, entry) in try self.store.history(name, rid, as: p.access).enumerated() {
                    if i > 0 { w.raw(",") }
                    w.raw("{\"at\":"); w.string(DateCoding.iso(entry.at))
                    w.raw(",\"user\":"); w.string(entry.userName)
                    w.raw(",\"action\":"); w.string(entry.action)
                    w.raw(",\"changes\":[")
                    for (j, c) in entry.changes.enumerated() {
                        if j > 0 { w.raw(",") }
                        w.raw("{\"field\":"); w.string(c.field)
                        w.raw(",\"from\":"); w.value(c.old)
                        w.raw(",\"to\":"); w.value(c.new)
                        w.raw("}")
                    }
                    w.raw("]}")
                }
                w.raw("]}")
                return Self.json(.ok, w)
            }
        }
        records.patch(":entity/:id") { request, context in
            let name = try context.parameters.require("entity"), id = context.parameters.get("id")
            return await self.respond {
                let p = try self.principal(request)  // 401 before the body is read
                let json = try await self.body(request)
                let entity = try self.entity(name, .update, p)
                guard let id, let rid = Int64(id) else { throw APIError(.notFound, "\(name) \(id ?? "") does not exist") }
                let (values, edits) = try json.recordChanges()
                let expected = try Self.expectedVersion(request)
                // The kernel checks scope (and the version) inside the write, so the record
                // cannot leave it or change in between.
                let updated = try await self.writer.write(as: p.access) { tx in
                    try tx.update(name, rid, values, expectedVersion: expected, listEdits: edits)
                }
                var w = JSONWriter()
                w.record(updated, entity, hidden: p.access.hiddenFields(name))
                return Self.json(.ok, w, headers: Self.etag(updated))
            }
        }
        records.delete(":entity/:id") { request, context in
            let name = try context.parameters.require("entity"), id = context.parameters.get("id")
            return await self.authed(request, context) { p in
                _ = try self.entity(name, .delete, p)
                guard let id, let rid = Int64(id) else { throw APIError(.notFound, "\(name) \(id ?? "") does not exist") }
                // Scope (and the version) is checked by the kernel inside the delete's own transaction.
                let expected = try Self.expectedVersion(request)
                try self.store.write(as: p.access) { tx in try tx.delete(name, rid, expectedVersion: expected) }
                return Response(status: .noContent)
            }
        }
    }

    /// The entity, if it exists and the caller may do `action` on it (unknown entities are 404).
    func entity(_ name: String, _ action: AccessAction, _ p: Principal) throws -> EntitySchema {
        let entity = try store.schema.entity(name)
        try p.access.require(action, on: name)
        return entity
    }

    /// The record `id` of `name` if the caller may do `action` and sees it; 404 otherwise.
    func visibleRecord(_ name: String, _ id: String?, _ action: AccessAction, _ p: Principal) throws -> (Record, EntitySchema) {
        let entity = try self.entity(name, action, p)
        guard let id, let rid = Int64(id) else { throw APIError(.notFound, "\(name) \(id ?? "") does not exist") }
        guard let record = try store.get(name, rid, as: p.access) else {
            throw APIError(.notFound, "\(name) \(rid) does not exist", type: "not-found")
        }
        return (record, entity)
    }

    func list(_ name: String, _ params: Parameters, _ p: Principal) throws -> Response {
        let entity = try self.entity(name, .read, p)
        let hidden = p.access.hiddenFields(name)
        let query = try ListQuery.parse(params, entity: entity, hidden: hidden, maxLimit: configuration.maxPageSize)
        let q = query.query
        // The page goes straight from the rows to JSON bytes (`findJSON`), as GET by id does.
        let page = try store.findJSON(q, as: p.access)
        var w = JSONWriter()
        w.raw("{\"data\":")
        w.bytes.append(contentsOf: page.bytes)
        w.raw(",\"next_cursor\":")
        w.value(page.nextCursor.map(Value.text) ?? .null)
        if query.withTotal {
            w.raw(",\"total\":\(try store.count(name, filter: q.filter, search: q.search, as: p.access))")
        }
        w.raw("}")
        return Self.json(.ok, w)
    }

    /// `{"records": [...]}`: all created (or, with `update`, all updated by their `id`) in one
    /// transaction, or none; field errors name the item (`records[3].phone`).
    func bulk(_ name: String, _ json: JSONValue, update: Bool, _ p: Principal) throws -> Response {
        let entity = try self.entity(name, update ? .update : .create, p)
        guard case .array(let items)? = try json.object("the request body")["records"] else {
            throw APIError(.badRequest, "the body must be {\"records\": [...]}", fieldErrors: [FieldError(field: "records", message: "expected an array")])
        }
        guard items.count <= Self.maxBulk else {
            throw APIError(.contentTooLarge, "at most \(Self.maxBulk) records per bulk request", type: "too-large")
        }
        let written: [Record] = try store.write(as: p.access) { tx in
            var out: [Record] = []
            for (i, item) in items.enumerated() {
                do {
                    let values = try item.recordValues()
                    if update {
                        guard case .integer(let id)? = try item.object("records[\(i)]")["id"] else {
                            throw APIError(.badRequest, "each record needs its id", fieldErrors: [FieldError(field: "id", message: "required")])
                        }
                        out.append(try tx.update(name, id, values))
                    } else {
                        out.append(try tx.create(name, values))
                    }
                } catch {
                    throw Self.prefixed(error, "records[\(i)]")
                }
            }
            return out
        }
        var w = JSONWriter()
        w.raw("{\"data\":[")
        for (i, r) in written.enumerated() {
            if i > 0 { w.raw(",") }
            w.record(r, entity, hidden: p.access.hiddenFields(name))
        }
        w.raw("]}")
        return Self.json(update ? .ok : .created, w)
    }

    /// `error` with its field names (and message) prefixed by the bulk item's position.
    static func prefixed(_ error: any Error, _ prefix: String) -> APIError {
        var api = APIError.from(error)
        api.detail = "\(prefix): \(api.detail)"
        api.fieldErrors = api.fieldErrors.map { FieldError(field: "\(prefix).\($0.field)", message: $0.message) }
        if api.fieldErrors.isEmpty, api.status == .badRequest { api.fieldErrors = [FieldError(field: prefix, message: api.detail)] }
        return api
    }
}
