import Foundation

extension OpenAPIDocument {
    /// The approval routes (`ApprovalRoutes`), for every signed-in user: who may do what is decided
    /// per approval (approvers, the submitter, people who see the document).
    static func approvalPaths(_ errors: [String: Any]) -> [String: Any] {
        let approval: [String: Any] = ["type": "object", "properties": [
            "id": ["type": "integer"], "entity": ["type": "string"], "record_id": ["type": "integer"],
            "status": ["type": "string", "enum": ["pending", "approved", "rejected", "withdrawn"]],
            "current_step": ["type": ["integer", "null"], "description": "position of the step waiting for a decision"],
            "submitted_by": ["type": ["integer", "null"]], "submitted_at": ["type": "string", "format": "date-time"],
            "ended_at": ["type": ["string", "null"], "format": "date-time"], "revision": ["type": "integer"],
            "steps": ["type": "array", "items": ["type": "object", "properties": [
                "position": ["type": "integer"], "name": ["type": "string"], "rule": ["type": "string"],
                "status": ["type": "string", "enum": ["waiting", "pending", "approved", "rejected", "skipped", "cancelled"]],
                "approvers": ["type": "array", "items": ["type": "object"]]]]],
            "decisions": ["type": "array", "items": ["type": "object", "properties": [
                "action": ["type": "string", "enum": ["submit", "approve", "reject", "withdraw", "delegate"]], "user": ["type": ["integer", "null"]],
                "user_name": ["type": "string"], "comment": ["type": ["string", "null"]], "at": ["type": "string", "format": "date-time"]]]],
            "snapshot": ["type": "object", "description": "the document as submitted (fields hidden from the caller left out)"],
        ]]
        let one: [String: Any] = ["description": "the approval", "content": ["application/json": ["schema": approval]]]
        let list: [String: Any] = ["description": "approvals", "content": ["application/json": ["schema": [
            "type": "object", "properties": ["data": ["type": "array", "items": approval]]]]]]
        func body(_ properties: [String: Any], required: [String] = []) -> [String: Any] {
            ["required": !required.isEmpty, "content": ["application/json": ["schema": ["type": "object", "properties": properties, "required": required]]]]
        }
        let comment: [String: Any] = ["type": "string", "maxLength": 2000]
        let step: [String: Any] = ["type": "integer", "description": "the step position the caller saw; another current step is a 409"]
        let idParam: [String: Any] = ["name": "id", "in": "path", "required": true, "schema": ["type": "integer"]]
        func action(_ summary: String, _ body: [String: Any]) -> [String: Any] {
            ["parameters": [idParam], "post": ["tags": ["approvals"], "summary": summary, "requestBody": body,
                                               "responses": errors.merging(["200": one]) { $1 }]]
        }
        return [
            "/api/v1/approvals/pending": ["get": ["tags": ["approvals"], "summary": "Approvals waiting for me",
                                                  "responses": errors.merging(["200": list]) { $1 }]],
            "/api/v1/approvals": ["get": ["tags": ["approvals"], "summary": "A document's approvals, newest first",
                                          "parameters": [["name": "entity", "in": "query", "required": true, "schema": ["type": "string"]],
                                                         ["name": "record_id", "in": "query", "required": true, "schema": ["type": "integer"]]],
                                          "responses": errors.merging(["200": list]) { $1 }]],
            "/api/v1/approvals/{id}": ["parameters": [idParam], "get": ["tags": ["approvals"], "responses": errors.merging(["200": one]) { $1 }]],
            "/api/v1/approvals/submit": ["post": ["tags": ["approvals"], "summary": "Submit a document under its flow",
                                                  "requestBody": body(["entity": ["type": "string"], "record_id": ["type": "integer"]], required: ["entity", "record_id"]),
                                                  "responses": errors.merging(["200": one]) { $1 }]],
            "/api/v1/approvals/{id}/approve": action("Approve the current step", body(["comment": comment, "step": step])),
            "/api/v1/approvals/{id}/reject": action("Reject (a comment is required)", body(["comment": comment, "step": step], required: ["comment"])),
            "/api/v1/approvals/{id}/withdraw": action("Withdraw (the submitter, while pending)", body(["comment": comment])),
            "/api/v1/approvals/{id}/delegate": action("Hand my part in the current step to another user",
                                                      body(["user": ["type": ["integer", "string"], "description": "user id or login name"],
                                                            "comment": comment, "step": step], required: ["user"])),
        ]
    }
}
