import CRMKernel
import CRMServer
import Foundation
import Hummingbird

/// `POST /e/<entity>/bulk`: assign an owner, add a tag or delete the selected records. The first
/// post shows a confirmation page; the confirmed post does it in one transaction, all or none.
extension WebApp {
    func addBulkRoutes(_ router: Router<CRMRequestContext>) {
        router.post("/e/:entity/bulk") { request, context in
            let name = try context.parameters.require("entity")
            return await self.post(request) { web, p, form in try self.bulk(web, p, name, form) }
        }
    }

    func bulk(_ web: WebRequest, _ p: Principal, _ name: String, _ form: FormBody) throws -> Response {
        let entity = try store.schema.entity(name)
        let ids = form.all("ids").compactMap { Int64($0) }
        let action = form["action"] ?? "", value = (form["value"] ?? "").trimmingCharacters(in: .whitespaces)
        let lang = web.lang
        guard !ids.isEmpty, ids.count <= 500 else {
            return errorPage(web, p, .badRequest, lang.t("请先选择 1 到 500 条记录。", "Select 1 to 500 records first."))
        }
        let describe: String
        switch action {
        case "delete":
            try p.access.require(.delete, on: name)
            describe = lang.t("删除 \(ids.count) 条记录？此操作不可撤销。", "Delete \(ids.count) records? This cannot be undone.")
        case "assign":
            try p.access.require(.update, on: name)
            guard entity.fieldsByName["owner"] != nil, let owner = Int64(value.prefix(while: \.isNumber)) else {
                return errorPage(web, p, .badRequest, lang.t("请填写负责人的用户编号。", "Give the owner's user number."))
            }
            describe = lang.t("将 \(ids.count) 条记录分配给用户 #\(owner)？", "Assign \(ids.count) records to user #\(owner)?")
        case "tag":
            try p.access.require(.update, on: name)
            guard entity.fieldsByName["tags"]?.type == .tags, !value.isEmpty else {
                return errorPage(web, p, .badRequest, lang.t("请填写要添加的标签。", "Give the tag to add."))
            }
            describe = lang.t("给 \(ids.count) 条记录添加标签“\(value)”？", "Add the tag “\(value)” to \(ids.count) records?")
        default:
            return errorPage(web, p, .badRequest, lang.t("未知的批量操作。", "Unknown bulk action."))
        }
        guard form["confirm"] == "1" else {
            let hidden = ids.map { ("ids", String($0)) } + [("action", action), ("value", value), ("confirm", "1")]
            return confirmPage(web, p, action: "/e/\(name)/bulk", question: describe, hidden: hidden, cancel: "/e/\(name)")
        }
        try store.write(as: p.access) { tx in
            for id in ids {
                guard let record = try tx.reader.get(name, id) else { throw KernelError(.notFound, "\(name) \(id) does not exist") }
                switch action {
                case "delete": try tx.delete(name, id)
                case "assign": _ = try tx.update(name, id, ["owner": .integer(Int64(value.prefix(while: \.isNumber)) ?? 0)])
                default:
                    var tags: [String] = []
                    if case .list(let l) = record["tags"] { tags = l }
                    if !tags.contains(value) { _ = try tx.update(name, id, ["tags": .list(tags + [value])]) }
                }
            }
        }
        return WebResponse.redirect("/e/\(name)")
    }
}
