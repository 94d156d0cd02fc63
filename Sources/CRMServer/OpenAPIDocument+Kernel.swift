/// The routes every workspace has, whatever its modules: sign-in and tokens, the caller,
/// history, notifications, actions and the documents themselves, with every problem status
/// they answer.
extension OpenAPIDocument {
    /// A problem response (`application/problem+json`).
    static var problem: [String: Any] { ["description": "Problem", "content": ["application/problem+json": ["schema": ["$ref": "#/components/schemas/Problem"]]]] }

    /// The problems of `statuses`, keyed by status.
    static func problems(_ statuses: [Int]) -> [String: Any] {
        var out: [String: Any] = [:]
        for s in statuses { out[String(s)] = problem }
        return out
    }

    /// A JSON response described by `schema`.
    static func json(_ description: String, _ schema: [String: Any] = ["type": "object"]) -> [String: Any] {
        ["description": description, "content": ["application/json": ["schema": schema]]]
    }

    /// A required JSON request body.
    static func body(_ schema: [String: Any]) -> [String: Any] {
        ["required": true, "content": ["application/json": ["schema": schema]]]
    }

    /// The `If-Match` header of conditional writes.
    static var ifMatch: [String: Any] { ["name": "If-Match", "in": "header", "required": false,
                                         "description": "the ETag of the record as read; a stale one is refused with 412",
                                         "schema": ["type": "string"]] }

    /// The `ETag` header of record responses.
    static var etagHeader: [String: Any] { ["ETag": ["description": "the record's version, quoted", "schema": ["type": "string"]]] }

    static func kernelPaths() -> [String: Any] {
        let string: [String: Any] = ["type": "string"]
        let idParam: [String: Any] = ["name": "id", "in": "path", "required": true, "schema": ["type": "integer", "format": "int64"]]
        let session = json("a session token", ["type": "object", "properties": ["token": string, "token_type": string, "expires_at": string,
                                                                                    "must_change_password": ["type": "boolean"]]])
        var p: [String: Any] = [:]
        p["/api/v1/auth/login"] = ["post": ["tags": ["auth"], "security": [],
            "requestBody": body(["type": "object", "required": ["username", "password"],
                                 "properties": ["username": ["type": "string", "minLength": 1], "password": ["type": "string", "minLength": 1]]]),
            "responses": problems([400, 401, 413, 415, 429]).merging(["200": session]) { $1 }]]
        p["/api/v1/auth/logout"] = ["post": ["tags": ["auth"], "responses": problems([401]).merging(["204": ["description": "signed out"]]) { $1 }]]
        p["/api/v1/auth/password"] = ["post": ["tags": ["auth"],
            "requestBody": body(["type": "object", "required": ["current_password", "new_password"],
                                 "properties": ["current_password": string, "new_password": string]]),
            "responses": problems([400, 401, 403, 413, 415]).merging(["204": ["description": "changed"]]) { $1 }]]
        p["/api/v1/me"] = ["get": ["tags": ["auth"], "responses": problems([401, 403]).merging(["200": json("the caller, their role and rights")]) { $1 }]]
        p["/api/v1/tokens"] = ["post": ["tags": ["auth"],
            "requestBody": ["required": false, "content": ["application/json": ["schema": ["type": "object", "properties": [
                "user": string, "label": string, "days": ["type": "integer", "minimum": 1]]]]]],
            "responses": problems([400, 401, 403, 404, 413, 415]).merging(["201": json("the new token (shown once)")]) { $1 }]]
        p["/api/v1/tokens/{id}"] = ["parameters": [idParam],
            "delete": ["tags": ["auth"], "responses": problems([401, 403, 404]).merging(["204": ["description": "revoked"]]) { $1 }]]
        p["/api/v1/notifications"] = ["get": ["tags": ["notifications"],
            "parameters": [["name": "unread", "in": "query", "schema": ["type": "boolean"]],
                           ["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": 500]]],
            "responses": problems([400, 401, 403]).merging(["200": json("the caller's notifications and the unread count")]) { $1 }]]
        p["/api/v1/notifications/read"] = ["post": ["tags": ["notifications"],
            "requestBody": body(["type": "object", "properties": ["all": ["type": "boolean"], "ids": ["type": "array", "items": ["type": "integer"]]]]),
            "responses": problems([400, 401, 403, 404, 413, 415]).merging(["200": json("how many were marked read")]) { $1 }]]
        p["/api/v1/actions"] = ["get": ["tags": ["actions"], "responses": problems([401, 403]).merging(["200": json("the functions the caller may call")]) { $1 }]]
        p["/api/v1/openapi.json"] = ["get": ["tags": ["schema"], "responses": problems([401, 403]).merging(["200": json("this document")]) { $1 }]]
        p["/api/v1/schema"] = ["get": ["tags": ["schema"], "responses": problems([401, 403]).merging(["200": json("entities, fields, stages and forms")]) { $1 }]]
        p["/healthz"] = ["get": ["security": [], "responses": ["200": json("the server is up")]]]
        return p
    }

    /// `/api/v1/records/{entity}/{id}/history` for `name`.
    static func historyPath(_ name: String) -> [String: Any] {
        let change: [String: Any] = ["type": "object", "properties": ["field": ["type": "string"], "from": [:], "to": [:]]]
        let entry: [String: Any] = ["type": "object", "properties": ["at": ["type": "string"], "user": ["type": "string"], "action": ["type": "string"],
                                                                     "changes": ["type": "array", "items": change]]]
        return ["parameters": [["name": "id", "in": "path", "required": true, "schema": ["type": "integer", "format": "int64"]]],
                "get": ["tags": [name], "summary": "Changes to the record, newest first",
                        "responses": problems([401, 403, 404]).merging(["200": json("the record's history", ["type": "object", "properties": ["data": ["type": "array", "items": entry]]])]) { $1 }]]
    }
}
