import Foundation

extension OpenAPIDocument {
    /// `GET`/`POST /api/v1/records/{entity}/{id}/comments` (`CommentRoutes`).
    static func commentPath(_ name: String) -> [String: Any] {
        let comment: [String: Any] = ["type": "object", "properties": [
            "id": ["type": "integer"], "entity": ["type": "string"], "record_id": ["type": "integer"], "body": ["type": "string"],
            "author": ["type": ["integer", "null"]], "mentions": ["type": ["string", "null"], "description": "ids of the users mentioned, comma-separated"],
            "created_at": ["type": "string", "format": "date-time"]]]
        let posted: [String: Any] = ["type": "object", "properties": [
            "comment": comment, "mentioned": ["type": "array", "items": ["type": "integer"]],
            "unknown": ["type": "array", "items": ["type": "string"], "description": "@names that match no user"],
            "ambiguous": ["type": "array", "items": ["type": "string"], "description": "@names that match several users"],
            "cannot_see": ["type": "array", "items": ["type": "string"],
                          "description": "@names of users who may not see the record (role or scope), so were not notified"]]]
        let body: [String: Any] = ["required": true, "content": ["application/json": ["schema": [
            "type": "object", "required": ["body"], "properties": ["body": ["type": "string", "minLength": 1, "maxLength": 5000]]]]]]
        return ["parameters": [["name": "id", "in": "path", "required": true, "schema": ["type": "integer", "format": "int64"]]],
                "get": ["tags": [name], "summary": "Comments on the record, oldest first",
                        "responses": problems([401, 403, 404]).merging(["200": json("the comments", ["type": "object", "properties": ["data": ["type": "array", "items": comment]]])]) { $1 }],
                "post": ["tags": [name], "summary": "Comment on the record; @names notify the users they name who may see it",
                         "requestBody": body,
                         "responses": problems([400, 401, 403, 404]).merging(["201": json("the comment and its mentions", posted)]) { $1 }]]
    }
}
