import CRMKernel
import CRMReports
import Foundation
import Hummingbird

/// `/api/v1/reports`: the report catalog (modules' built-in reports, the scripts' `crm.report`
/// ones and those an administrator saved), run under the caller's access in JSON, CSV, .xlsx,
/// PDF, HTML, SVG or a text table. Administrators save (`POST`) and delete reports.
extension APIServer {
    func addReportRoutes(_ router: Router<CRMRequestContext>) {
        let reports = router.group("/api/v1/reports")
        reports.get("") { request, context in
            await self.authed(request, context) { p in
                let list = try self.host.workspace.reports(as: p.access)
                var w = JSONWriter()
                w.raw("{\"items\":[")
                for (i, r) in list.enumerated() {
                    if i > 0 { w.raw(",") }
                    Self.writeReport(&w, r, lang: Self.language(request))
                }
                w.raw("]}")
                return Self.json(.ok, w)
            }
        }
        reports.get(":name") { request, context in
            let name = try context.parameters.require("name")
            return await self.authed(request, context) { p in
                var w = JSONWriter()
                Self.writeReport(&w, try self.host.workspace.report(named: name, as: p.access), lang: Self.language(request))
                return Self.json(.ok, w)
            }
        }
        reports.get(":name/run") { request, context in
            let name = try context.parameters.require("name")
            return await self.respond {
                let p = try self.principal(request)
                var parameters: [String: String] = [:]
                var format = "json"
                for (k, v) in request.uri.queryParameters {
                    switch String(k) {
                    case "format": format = String(v)
                    case "lang": continue
                    default: parameters[String(k)] = String(v)
                    }
                }
                let lang = Self.language(request)
                let chosen: ReportFormat? = format == "json" ? nil : try ReportFormat(parsing: format)
                let given = parameters
                return try await self.blocking {
                    let table = try self.host.workspace.runReport(name, parameters: given, as: p.access, language: lang)
                    guard let chosen else { return Self.json(.ok, Self.tableJSON(table)) }
                    let data = try ReportRenderer.render(table, as: chosen, language: lang)
                    var headers: HTTPFields = [.contentType: chosen.contentType]
                    if chosen == .xlsx || chosen == .pdf || chosen == .csv {
                        let file = ReportRenderer.fileName(table, chosen)
                        headers[.contentDisposition] = "attachment; filename=\"\(table.name).\(chosen.fileExtension)\"; filename*=UTF-8''" +
                            (file.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? file)
                    }
                    return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
                }
            }
        }
        reports.post("") { request, context in
            await self.respond {
                let p = try self.principal(request)
                let body = Data(try await self.rawBody(request).readableBytesView)
                guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
                    throw APIError(.badRequest, "the body must be a JSON object {name, spec}")
                }
                guard let name = object["name"] as? String else {
                    throw APIError(.badRequest, "name is required", fieldErrors: [FieldError(field: "name", message: "required")])
                }
                guard let specObject = object["spec"] as? [String: Any], let specData = try? JSONSerialization.data(withJSONObject: specObject) else {
                    throw APIError(.badRequest, "spec is required (an object)", fieldErrors: [FieldError(field: "spec", message: "required")])
                }
                var spec = try SavedReports.decode(String(decoding: specData, as: UTF8.self))
                if let roles = object["roles"] as? [String] { spec.roles = roles }
                if let title = object["title"] as? String { spec.title = LocalizedText(title) }
                let saved = spec
                return try await self.blocking {
                    try self.host.workspace.saveReport(name, spec: saved, as: p.access)
                    var w = JSONWriter()
                    Self.writeReport(&w, try self.host.workspace.report(named: name, as: p.access), lang: "zh")
                    return Self.json(.created, w)
                }
            }
        }
        reports.delete(":name") { request, context in
            let name = try context.parameters.require("name")
            return await self.authed(request, context) { p in
                try self.host.workspace.deleteReport(name, as: p.access)
                return Response(status: .noContent)
            }
        }
    }

    static func language(_ request: Request) -> String {
        request.uri.queryParameters["lang"].map(String.init) == "en" ? "en" : "zh"
    }

    static func writeReport(_ w: inout JSONWriter, _ r: ReportDefinition, lang: String) {
        w.raw("{\"name\":"); w.string(r.name)
        w.raw(",\"title\":"); w.string(r.title.text(for: lang))
        w.raw(",\"origin\":"); w.string(r.origin.label)
        w.raw(",\"roles\":"); w.value(.list(r.roles))
        w.raw(",\"parameters\":[")
        for (i, p) in r.parameters.enumerated() {
            if i > 0 { w.raw(",") }
            w.raw("{\"name\":"); w.string(p.name)
            w.raw(",\"type\":"); w.string(p.kind.rawValue)
            w.raw(",\"label\":"); w.string(p.label.text(for: lang))
            w.raw(",\"default\":"); w.value(p.defaultValue.map(Value.text) ?? .null)
            w.raw("}")
        }
        w.raw("]}")
    }

    static func tableJSON(_ t: ReportTable) -> JSONWriter {
        var w = JSONWriter()
        w.raw("{\"name\":"); w.string(t.name)
        w.raw(",\"title\":"); w.string(t.title)
        w.raw(",\"arguments\":{")
        for (i, a) in t.arguments.enumerated() {
            if i > 0 { w.raw(",") }
            w.string(a.name); w.raw(":"); w.string(a.value)
        }
        w.raw("},\"columns\":[")
        for (i, c) in t.columns.enumerated() {
            if i > 0 { w.raw(",") }
            w.raw("{\"name\":"); w.string(c.name)
            w.raw(",\"label\":"); w.string(c.label)
            w.raw(",\"kind\":"); w.string(c.kind.rawValue)
            w.raw("}")
        }
        w.raw("],\"rows\":[")
        for (i, row) in t.rows.enumerated() {
            if i > 0 { w.raw(",") }
            w.raw("[")
            for (j, v) in row.enumerated() {
                if j > 0 { w.raw(",") }
                w.value(v)
            }
            w.raw("]")
        }
        w.raw("],\"has_totals\":\(t.hasTotals)}")
        return w
    }
}
