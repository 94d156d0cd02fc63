import CRMKernel
import Foundation
import Hummingbird

/// `GET /api/v1/schema` (entities, fields, stages and forms as the scripts define them, as the
/// caller may see them) and `GET /api/v1/openapi.json` (generated from the same live schema).
extension APIServer {
    func addSchemaRoutes(_ router: Router<CRMRequestContext>) {
        router.get("/api/v1/schema") { request, context in
            await self.authed(request, context) { p in
                Self.json(.ok, try SchemaDocument.encode(self.store.schema, access: p.access))
            }
        }
        router.get("/api/v1/openapi.json") { request, context in
            await self.authed(request, context) { p in
                Self.json(.ok, try OpenAPIDocument.render(self.store.schema, access: p.access, functions: self.actionList(p), routes: self.moduleRouteList()))
            }
        }
    }
}

/// The schema as the API shows it.
struct SchemaDocument: Encodable {
    struct Entity: Encodable {
        var name: String
        var label: LocalizedText
        var titleField: String?
        var origin: String
        var fields: [FieldDefinition]
        var readOnlyFields: [String]
        var pipelines: [Pipeline]
        var form: FormLayout?
        var actions: [String]
    }

    var entities: [Entity]

    /// The document for `access`: entities it may read, without hidden fields.
    static func entities(_ schema: Schema, access: AccessGuard) -> [Entity] {
        schema.entityNames.compactMap { name -> Entity? in
            guard access.allows(.read, on: name), let e = schema.entities[name] else { return nil }
            // Secret fields stay in the document (flagged `secret`: write-only); hidden ones do not.
            let hidden = access.hiddenFields(name).subtracting(access.writeOnlyFields(name))
            let readOnly = access.isAdministrator ? [] : (access.role?.readOnly[name] ?? [])
            let fields = e.fields.filter { !hidden.contains($0.name) }
            return Entity(name: name, label: e.definition.label, titleField: e.definition.titleField, origin: e.definition.origin,
                          fields: fields, readOnlyFields: fields.filter { $0.system || readOnly.contains($0.name) }.map(\.name),
                          pipelines: schema.pipelines[name] ?? [], form: schema.forms[name],
                          actions: AccessAction.allCases.filter { access.allows($0, on: name) }.map(\.rawValue))
        }
    }

    static func encode(_ schema: Schema, access: AccessGuard) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(SchemaDocument(entities: entities(schema, access: access))), as: UTF8.self)
    }
}
