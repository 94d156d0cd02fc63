import CRMKernel
import Foundation

/// An OpenAPI 3.1 document generated from the live schema: one path set per entity the caller
/// may read, a component per entity with its fields (custom ones included), plus sign-in,
/// schema, the plugin actions the caller may call (with their arguments) and the enabled modules'
/// own routes.
enum OpenAPIDocument {
    static func render(_ schema: Schema, access: AccessGuard, functions: [(path: String, summary: String)],
                       routes: [(module: String, route: PluginRoute)] = []) throws -> String {
        var components: [String: Any] = ["Problem": problemSchema]
        var paths = kernelPaths()
        let reads = problems([400, 401, 403, 404])
        let writes = problems([400, 401, 403, 404, 409, 413, 415, 422])

        for name in schema.entityNames where access.allows(.read, on: name) {
            guard let e = schema.entities[name] else { continue }
            // Secret fields are documented as write-only; fields the role hides are left out.
            let writeOnly = access.writeOnlyFields(name), hidden = access.hiddenFields(name).subtracting(writeOnly)
            let ref = ["$ref": "#/components/schemas/\(name)"]
            var props: [String: Any] = ["id": ["type": "integer", "format": "int64", "readOnly": true]]
            for f in e.fields where !hidden.contains(f.name) && f.name != "id" {
                var p = fieldSchema(f)
                p["title"] = f.label.zh
                if f.system { p["readOnly"] = true }
                if writeOnly.contains(f.name) { p["writeOnly"] = true }
                props[f.name] = p
            }
            components[name] = ["type": "object", "title": e.definition.label.zh, "properties": props,
                                "required": e.fields.filter { $0.required && !hidden.contains($0.name) }.map(\.name)]
            let one: [String: Any] = ["description": name, "content": ["application/json": ["schema": ref]]]
            let page: [String: Any] = ["description": "a page of \(name) records", "content": ["application/json": ["schema": [
                "type": "object", "properties": ["data": ["type": "array", "items": ref], "next_cursor": ["type": ["string", "null"]], "total": ["type": "integer"]]]]]]
            let body: [String: Any] = ["required": true, "content": ["application/json": ["schema": ref]]]
            let bulkBody: [String: Any] = ["required": true, "content": ["application/json": ["schema": [
                "type": "object", "properties": ["records": ["type": "array", "items": ref,
                "description": "at most \(APIServer.maxBulk) records; more are refused with 413"]], "required": ["records"]]]]]
            let idParam: [String: Any] = ["name": "id", "in": "path", "required": true, "schema": ["type": "integer"]]
            let listParams: [[String: Any]] = [
                ["name": "q", "in": "query", "description": "full-text search", "schema": ["type": "string"]],
                ["name": "sort", "in": "query", "description": "fields, comma-separated; -field sorts descending", "schema": ["type": "string"]],
                ["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": 500]],
                ["name": "after", "in": "query", "description": "next_cursor of the previous page", "schema": ["type": "string"]],
                ["name": "filter", "in": "query", "description": "JSON filter as in crm.find, e.g. {\"_or\":[{\"city\":\"深圳\"},{\"grade\":\"A\"}]}", "schema": ["type": "string"]],
                ["name": "total", "in": "query", "schema": ["type": "boolean"]],
            ]
            var oneWithTag = one
            oneWithTag["headers"] = etagHeader
            var collection: [String: Any] = ["get": ["tags": [name], "summary": "List \(e.definition.label.zh); field=value and field[op]=value filter",
                                                     "parameters": listParams, "responses": reads.merging(["200": page]) { $1 }]]
            var item: [String: Any] = ["parameters": [idParam], "get": ["tags": [name], "responses": problems([401, 403, 404]).merging(["200": oneWithTag]) { $1 }]]
            if access.allows(.create, on: name) {
                collection["post"] = ["tags": [name], "requestBody": body, "responses": writes.merging(["201": one]) { $1 }]
                paths["/api/v1/records/\(name)/bulk"] = ["post": ["tags": [name], "summary": "Create all or none", "requestBody": bulkBody,
                                                                 "responses": writes.merging(["201": page]) { $1 }]]
            }
            if access.allows(.update, on: name) {
                item["patch"] = ["tags": [name], "parameters": [ifMatch], "requestBody": patchBody(e, props),
                                 "responses": writes.merging(problems([412])) { $1 }.merging(["200": oneWithTag]) { $1 }]
                var bulk = paths["/api/v1/records/\(name)/bulk"] as? [String: Any] ?? [:]
                bulk["patch"] = ["tags": [name], "summary": "Update all or none (each item has its id)", "requestBody": bulkBody,
                                 "responses": writes.merging(["200": page]) { $1 }]
                paths["/api/v1/records/\(name)/bulk"] = bulk
            }
            if access.allows(.delete, on: name) {
                item["delete"] = ["tags": [name], "parameters": [ifMatch],
                                  "responses": problems([401, 403, 404, 409, 412]).merging(["204": ["description": "deleted"]]) { $1 }]
            }
            paths["/api/v1/records/\(name)"] = collection
            paths["/api/v1/records/\(name)/{id}"] = item
            paths["/api/v1/records/\(name)/{id}/history"] = historyPath(name)
            if name != "comment" { paths["/api/v1/records/\(name)/{id}/comments"] = commentPath(name) }
        }
        for f in functions {
            paths[f.path] = ["post": ["tags": ["actions"], "summary": f.summary,
                                      "requestBody": ["content": ["application/json": ["schema": ["type": "object", "properties": ["args": actionArguments(f.summary)]]]]],
                                      "responses": writes.merging(problems([429])) { $1 }.merging(["200": ["description": "the function's result"]]) { $1 }]]
        }
        for (path, item) in approvalPaths(problems([400, 401, 403, 404, 409, 422])) { paths[path] = item }
        for (path, item) in modulePaths(routes, access: access) { paths[path] = item }

        let doc: [String: Any] = [
            "openapi": "3.1.0",
            "info": ["title": "CRM API", "version": "1"],
            "servers": [["url": "/"]],
            "security": [["bearer": []]],
            "paths": paths,
            "components": ["schemas": components, "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]]],
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys]), as: UTF8.self)
    }

    /// A PATCH body: any fields of the entity; list fields may instead take `{"add": [...], "remove": [...]}`.
    static func patchBody(_ e: EntitySchema, _ properties: [String: Any]) -> [String: Any] {
        var props = properties
        for f in e.fields where (f.type == .tags || f.type == .multiChoice) && props[f.name] != nil {
            let items: [String: Any] = ["type": "array", "items": ["type": "string"]]
            props[f.name] = ["oneOf": [fieldSchema(f), ["type": "object", "properties": ["add": items, "remove": items], "additionalProperties": false]]]
        }
        return ["required": true, "content": ["application/json": ["schema": ["type": "object", "properties": props]]]]
    }

    static var problemSchema: [String: Any] { [
        "type": "object",
        "properties": ["type": ["type": "string"], "title": ["type": "string"], "status": ["type": "integer"], "detail": ["type": "string"],
                       "errors": ["type": "array", "items": ["type": "object", "properties": ["field": ["type": "string"], "message": ["type": "string"]]]]],
    ] }

    static func fieldSchema(_ f: FieldDefinition) -> [String: Any] {
        var s: [String: Any]
        switch f.type {
        case .text, .longText, .phone: s = ["type": "string"]
        case .email: s = ["type": "string", "format": "email"]
        case .url: s = ["type": "string", "format": "uri"]
        case .date: s = ["type": "string", "format": "date"]
        case .datetime: s = ["type": "string", "format": "date-time"]
        case .integer: s = ["type": "integer", "format": "int64"]
        case .reference, .user: s = ["type": "integer", "format": "int64", "description": "id of a \(f.target ?? "") record"]
        case .decimal, .money: s = ["type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$", "description": f.type == .money ? "money, \(f.currency)" : "decimal"]
        case .boolean: s = ["type": "boolean"]
        case .choice: s = ["type": "string"]; if !f.options.isEmpty { s["enum"] = f.options.map(\.value) }
        case .multiChoice, .tags:
            var items: [String: Any] = ["type": "string"]
            if f.type == .multiChoice, !f.options.isEmpty { items["enum"] = f.options.map(\.value) }
            s = ["type": "array", "items": items]
        }
        if !f.required {
            s["type"] = [s["type"]!, "null"]
            // An optional choice may be empty: null belongs to its enum too.
            if let values = s["enum"] as? [String] { s["enum"] = values.map { $0 as Any } + [NSNull()] }
        }
        if let m = f.maxLength { s["maxLength"] = m }
        return s
    }
}
