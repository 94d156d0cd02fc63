import CRMKernel
import Foundation
import Hummingbird

/// The approval engine over HTTP, under the same rules as `crm.approvals.*`:
/// `GET /api/v1/approvals/pending`, `GET /api/v1/approvals?entity=E&record_id=N` (a document's
/// history), `GET /api/v1/approvals/{id}`, `POST /api/v1/approvals/submit` with
/// `{"entity": …, "record_id": …}`, and `POST /api/v1/approvals/{id}/approve|reject|withdraw|delegate`
/// with `{"comment": …, "step": position, "user": id or login}` as each needs.
extension APIServer {
    func addApprovalRoutes(_ router: Router<CRMRequestContext>) {
        router.get("/api/v1/approvals/pending") { request, context in
            await self.authed(request, context) { p in
                let list = try self.store.read(as: p.access) { try Approvals.pending(in: $0, as: p.access) }
                return Self.json(.ok, ApprovalJSON.list(list))
            }
        }
        router.get("/api/v1/approvals") { request, context in
            await self.authed(request, context) { p in
                let params = request.uri.queryParameters
                guard let entity = params.get("entity"), !entity.isEmpty else {
                    throw APIError(.badRequest, "name the document: ?entity=…&record_id=…", fieldErrors: [FieldError(field: "entity", message: "required")])
                }
                guard let id = params.get("record_id").flatMap({ Int64($0) }) else {
                    throw APIError(.badRequest, "name the document: ?entity=…&record_id=…", fieldErrors: [FieldError(field: "record_id", message: "expected an integer")])
                }
                let list = try self.store.read(as: p.access) { try Approvals.history(entity, id, in: $0, as: p.access) }
                return Self.json(.ok, ApprovalJSON.list(list))
            }
        }
        router.get("/api/v1/approvals/:id") { request, context in
            let id = Int64(context.parameters.get("id") ?? "")
            return await self.authed(request, context) { p in
                guard let id else { throw APIError(.notFound, "approval ids are integers") }
                let approval = try self.store.read(as: p.access) { try Approvals.get(id, in: $0, as: p.access) }
                return Self.json(.ok, ApprovalJSON.one(approval))
            }
        }
        router.post("/api/v1/approvals/submit") { request, context in
            await self.approvalAction(request, context) { body, p, tx in
                guard case .string(let entity)? = body["entity"] else {
                    throw APIError(.badRequest, "send {\"entity\": …, \"record_id\": …}", fieldErrors: [FieldError(field: "entity", message: "required")])
                }
                guard case .integer(let id)? = body["record_id"] else {
                    throw APIError(.badRequest, "send {\"entity\": …, \"record_id\": …}", fieldErrors: [FieldError(field: "record_id", message: "expected an integer")])
                }
                return try Approvals.submit(entity, id, in: tx)
            }
        }
        router.post("/api/v1/approvals/:id/:action") { request, context in
            let id = Int64(context.parameters.get("id") ?? ""), action = context.parameters.get("action") ?? ""
            return await self.approvalAction(request, context) { body, p, tx in
                guard let id else { throw APIError(.notFound, "approval ids are integers") }
                let comment = try Self.optionalString(body, "comment"), step = try Self.optionalInteger(body, "step").map(Int.init)
                switch action {
                case "approve": return try Approvals.approve(id, comment: comment, step: step, in: tx)
                case "reject": return try Approvals.reject(id, comment: comment, step: step, in: tx)
                case "withdraw": return try Approvals.withdraw(id, comment: comment, in: tx)
                case "delegate":
                    let target: Int64
                    switch body["user"] {
                    case .integer(let uid)?: target = uid
                    case .string(let login)?:
                        guard let uid = try tx.reader.system.ids("user", where: "name", equals: .text(login), limit: 1).first else {
                            throw APIError(.badRequest, "unknown user '\(login)'", fieldErrors: [FieldError(field: "user", message: "unknown user")])
                        }
                        target = uid
                    default: throw APIError(.badRequest, "name the user to delegate to", fieldErrors: [FieldError(field: "user", message: "required")])
                    }
                    return try Approvals.delegate(id, to: target, comment: comment, step: step, in: tx)
                default: throw APIError(.notFound, "no approval action '\(action)' (approve, reject, withdraw, delegate)")
                }
            }
        }
    }

    /// Reads the (optional) JSON body, then runs `body` in a write transaction as the caller and
    /// answers the approval it returns.
    private func approvalAction(_ request: Request, _ context: CRMRequestContext,
                                _ body: @escaping @Sendable ([String: JSONValue], Principal, WriteContext) throws -> Approval) async -> Response {
        await respond {
            _ = try self.principal(request)  // 401 before the body is read
            let raw = try await self.rawBody(request)
            var parsed: [String: JSONValue] = [:]
            if raw.readableBytes > 0 { parsed = try JSONValue.parse(Data(raw.readableBytesView)).object("the request body") }
            let object = parsed
            return await self.authed(request, context) { p in
                let approval = try self.store.write(as: p.access) { tx in try body(object, p, tx) }
                return Self.json(.ok, ApprovalJSON.one(approval))
            }
        }
    }

    private static func optionalString(_ body: [String: JSONValue], _ key: String) throws -> String? {
        switch body[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        default: throw APIError(.badRequest, "\(key) must be a string", fieldErrors: [FieldError(field: key, message: "expected a string")])
        }
    }

    private static func optionalInteger(_ body: [String: JSONValue], _ key: String) throws -> Int64? {
        switch body[key] {
        case nil, .null?: return nil
        case .integer(let i)?: return i
        default: throw APIError(.badRequest, "\(key) must be an integer", fieldErrors: [FieldError(field: key, message: "expected an integer")])
        }
    }
}

/// Approvals as JSON.
enum ApprovalJSON {
    static func list(_ list: [Approval]) -> JSONWriter {
        var w = JSONWriter()
        w.raw("{\"data\":[")
        for (i, a) in list.enumerated() {
            if i > 0 { w.raw(",") }
            write(a, &w)
        }
        w.raw("]}")
        return w
    }

    static func one(_ a: Approval) -> JSONWriter {
        var w = JSONWriter()
        write(a, &w)
        return w
    }

    static func write(_ a: Approval, _ w: inout JSONWriter) {
        w.raw("{\"id\":"); w.integer(a.id)
        w.raw(",\"entity\":"); w.string(a.entity)
        w.raw(",\"record_id\":"); w.integer(a.recordID)
        w.raw(",\"status\":"); w.string(a.status.rawValue)
        w.raw(",\"current_step\":"); if let p = a.currentStep { w.integer(Int64(p)) } else { w.raw("null") }
        w.raw(",\"submitted_by\":"); w.value(a.submittedBy.map(Value.integer) ?? .null)
        w.raw(",\"submitted_at\":"); w.value(.datetime(a.submittedAt))
        w.raw(",\"ended_at\":"); w.value(a.endedAt.map(Value.datetime) ?? .null)
        w.raw(",\"revision\":"); w.integer(a.revision)
        w.raw(",\"steps\":[")
        for (i, s) in a.steps.enumerated() {
            if i > 0 { w.raw(",") }
            w.raw("{\"position\":"); w.integer(Int64(s.position))
            w.raw(",\"name\":"); w.string(s.name)
            w.raw(",\"rule\":"); w.string(s.rule)
            w.raw(",\"status\":"); w.string(s.status.rawValue)
            w.raw(",\"approvers\":[")
            for (j, p) in s.assignees.enumerated() {
                if j > 0 { w.raw(",") }
                w.raw("{\"user\":"); w.integer(p.userID)
                w.raw(",\"status\":"); w.string(p.status.rawValue)
                if let to = p.delegatedTo { w.raw(",\"delegated_to\":"); w.integer(to) }
                w.raw("}")
            }
            w.raw("]}")
        }
        w.raw("],\"decisions\":[")
        for (i, d) in a.decisions.enumerated() {
            if i > 0 { w.raw(",") }
            w.raw("{\"action\":"); w.string(d.action.rawValue)
            w.raw(",\"user\":"); w.value(d.userID.map(Value.integer) ?? .null)
            w.raw(",\"user_name\":"); w.string(d.userName)
            w.raw(",\"position\":"); w.value(d.position.map { .integer(Int64($0)) } ?? .null)
            w.raw(",\"comment\":"); w.value(d.comment.map(Value.text) ?? .null)
            if let to = d.targetUser { w.raw(",\"delegated_to\":"); w.integer(to) }
            w.raw(",\"at\":"); w.value(.datetime(d.at))
            w.raw("}")
        }
        w.raw("],\"snapshot\":{")
        for (i, key) in a.snapshot.keys.sorted().enumerated() {
            if i > 0 { w.raw(",") }
            w.string(key); w.raw(":"); w.value(a.snapshot[key]!)
        }
        w.raw("}}")
    }
}
