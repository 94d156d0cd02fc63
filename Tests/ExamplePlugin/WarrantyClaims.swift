import CRMKernel
import Foundation

/// `warranty_claim` and what the module does with it.
enum WarrantyClaims {
    /// The statuses a claim goes through.
    static let statuses = ["待处理", "处理中", "已关闭"]

    /// `warranty_claim`: one claim of a customer about a product.
    static var entity: EntityDefinition {
        EntityDefinition("warranty_claim", label: LocalizedText("保修申请", en: "Warranty claim"), titleField: "product", fields: [
            FieldDefinition("customer", .reference, label: LocalizedText("客户", en: "Customer"), required: true, indexed: true, target: "customer"),
            FieldDefinition("customer_name", .text, label: LocalizedText("客户名称", en: "Customer name"), maxLength: 200),
            FieldDefinition("product", .text, label: LocalizedText("产品", en: "Product"), required: true, maxLength: 200),
            FieldDefinition.choice("status", label: LocalizedText("状态", en: "Status"), statuses, required: true),
        ])
    }

    /// `crm.warranty.open_count()`: how many claims the caller can see are not closed.
    static var openCount: ScriptFunction {
        ScriptFunction("open_count", summary: "crm.warranty.open_count() → claims not yet closed",
                       effect: .read, access: .read("warranty_claim")) { call in
            let filter = try call.scoped(.not(.eq("status", .text("已关闭"))), on: "warranty_claim")
            return .value(.integer(Int64(try call.read { try $0.count("warranty_claim", filter: filter) })))
        }
    }

    /// The policy `warranty.coverage`: `{product = "..."}` → months of cover (a company's Lua).
    static let coverage = ScriptPolicy("coverage", summary: "crm.warranty.coverage{product} → months the product is covered")

    /// `crm warranty list [--status STATUS]`.
    static var listCommand: PluginCommand {
        PluginCommand(["list"], summary: "List warranty claims, optionally of one status.",
                      options: [CommandOption("status", valueName: "STATUS", help: "Only claims in this status (待处理, 处理中, 已关闭).")]) { context in
            var filter: Filter?
            if let status = context.arguments.option("status") {
                guard statuses.contains(status) else {
                    throw KernelError(.validation, "--status: expects one of \(statuses.joined(separator: ", ")), got '\(status)'")
                }
                filter = .eq("status", .text(status))
            }
            let claims = try context.store.find(Query("warranty_claim", filter: filter, sort: [SortKey("id")])).records
            context.output.table(header: ["id", "customer", "product", "status"], rows: claims.map {
                [String($0.id), $0["customer"].description, $0["product"].description, $0["status"].description]
            })
            context.output.line("\(claims.count) claim(s)")
        }
    }

    /// `GET /api/v1/modules/warranty/claims.csv`: the claims the caller can see, as CSV.
    static var exportRoute: PluginRoute {
        PluginRoute(.get, "claims.csv", summary: "The warranty claims the caller can see, as CSV",
                    audience: .signedIn(requires: FunctionAccess(entity: "warranty_claim", action: .read))) { request in
            let schema = try request.store.schema.entity("warranty_claim")
            let filter = request.access.map { $0.scoped(nil, schema) } ?? nil
            let claims = try request.store.find(Query("warranty_claim", filter: filter, sort: [SortKey("id")])).records
            var csv = "id,customer,product,status\r\n"
            for claim in claims {
                let cells = [String(claim.id), claim["customer"].description, claim["product"].description, claim["status"].description]
                csv += cells.map(csvCell).joined(separator: ",") + "\r\n"
            }
            return .file(Data(csv.utf8), contentType: "text/csv; charset=utf-8", fileName: "保修申请.csv")
        }
    }

    /// `GET /public/warranty/statuses`: the statuses a claim goes through, for a public claim
    /// form; anyone may call it, five times a minute per address.
    static var statusesRoute: PluginRoute {
        PluginRoute(.get, "statuses", summary: "The statuses of a warranty claim (public)",
                    audience: .anyone(limit: RateLimit(requests: 5, perSeconds: 60))) { _ in
            .json(.list(statuses.map { .value(.text($0)) }))
        }
    }

    /// A CSV cell, quoted when it holds a comma, a quote or a line break.
    static func csvCell(_ text: String) -> String {
        guard text.contains(where: { ",\"\r\n".contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
