import CRMKernel

/// The lines of a quote or order, drawn on the document's page below its fields (a section,
/// template `Pages/lines.mustache`): each line editable in place (quantity, sales price,
/// discount) when the user may update the document, a line to add, a line to remove, the totals
/// the module recomputed, 提交审批 for a draft order, and on a current quote 新版本 and 转为订单.
/// Every form posts to `/do/orders/<function>` (`add_line`, `update_line`, `remove_line`,
/// `submit`, `new_version`, `convert`), so the module's rules, price floor and locks apply.
enum LinesSection {
    /// The line fields a user edits in place.
    static let editable = ["quantity", "sales_price", "discount"]
    /// The line columns shown (those the user may see).
    static let columns = ["product", "description", "quantity", "list_price", "sales_price", "discount", "amount", "margin"]
    /// The document totals shown under the lines (those the user may see).
    static let totals = ["list_total", "subtotal", "discount_amount", "total", "tax", "cost", "margin", "margin_percent"]

    /// The section on the pages of `entity` (`order` or `quote`).
    static func page(_ entity: String, order: Int = 10) -> PluginPage {
        PluginPage("\(entity)_lines", path: "#lines", title: LocalizedText("明细行", en: "Lines"),
                   requires: FunctionAccess(entity: entity, action: .read),
                   view: PageView(template: PageTemplate("lines", target: "CRMOrders")) { try data($0, entity) },
                   placement: .section(entity: entity, order: order))
    }

    /// A value as the page shows it: money as ¥ yuan, references by name.
    static func display(_ r: PageRequest, _ value: Value, _ field: FieldDefinition) -> String {
        guard !value.isEmpty else { return "" }
        switch field.type {
        case .money: return MoneyText.fen(value).map { "¥" + MoneyText.yuan($0) } ?? value.description
        case .reference: return value.integerValue.map { r.title(field.target ?? "", $0) } ?? value.description
        default: return value.description
        }
    }

    static func data(_ r: PageRequest, _ entity: String) throws -> PageData {
        let document = try r.record(entity)
        let id = document.id
        guard case .list(let items) = try r.call("lines", [.value(.text(entity)), .value(.integer(id))]) else { return [:] }
        let lines: [Record] = items.compactMap { if case .record(let line) = $0 { line } else { nil } }
        let lineSchema = try r.store.schema.entity("order_line"), hiddenLine = r.access.hiddenFields("order_line")
        let shown = columns.compactMap { lineSchema.fieldsByName[$0] }.filter { !hiddenLine.contains($0.name) }
        let canEdit = r.access.allows(.update, on: entity)
        let back = "/e/\(entity)/\(id)"
        let rows: [PageData] = lines.map { line in
            let cells: [PageData] = shown.map { field in
                let input = canEdit && editable.contains(field.name)
                return ["name": .text(field.name), "label": .text(r.text(field.label)), "input": .bool(input),
                        "value": .text(input ? (line[field.name].isEmpty ? "" : line[field.name].description) : display(r, line[field.name], field))]
            }
            return ["id": .integer(line.id), "cells": .list(cells)]
        }
        let docSchema = try r.store.schema.entity(entity), hiddenDoc = r.access.hiddenFields(entity)
        let sums: [PageData] = totals.compactMap { name in
            guard let field = docSchema.fieldsByName[name], !hiddenDoc.contains(name) else { return nil }
            return ["name": .text(name), "label": .text(r.text(field.label)), "value": .text(display(r, document[name], field))]
        }
        var products: [PageData] = []
        if canEdit, r.access.allows(.read, on: "product") {
            products = try r.read { try $0.find(Query("product", sort: [SortKey("id")], limit: 200)) }.records.map {
                ["id": .integer($0.id), "name": .text($0["name"].textValue ?? "#\($0.id)")]
            }
        }
        let draft = r.store.schema.pipelines["order"]?.first?.stages.first?.name
        let current = entity == "quote" && OrderDocuments.lockReason(document, OrderSettings.current(r.store.schema)) == nil
        return [
            "entity": .text(entity), "document": .integer(id), "back": .text(back), "count": .integer(Int64(lines.count)),
            "columns": .list(shown.map { ["label": .text(r.text($0.label))] }), "lines": .list(rows), "editable": .bool(canEdit),
            "totals": .list(sums), "products": .list(products), "line_error": .text(r.parameter("line_error") ?? ""),
            "has_line_error": .bool(r.parameter("line_error") != nil),
            "can_submit": .bool(canEdit && entity == "order" && draft != nil && document["status"].textValue == draft),
            "can_new_version": .bool(current && canEdit),
            "can_convert": .bool(current && r.access.allows(.create, on: "order")),
            "text": [
                "lines": .text(r.text("明细行", "Lines")), "not_saved": .text(r.text("未保存：", "Not saved: ")),
                "save": .text(r.text("保存", "Save")), "remove": .text(r.text("删除", "Remove")), "product": .text(r.text("产品", "Product")),
                "description": .text(r.text("或说明（无产品时）", "or a description (no product)")), "quantity": .text(r.text("数量", "Quantity")),
                "price": .text(r.text("销售单价（空则按价格策略）", "Sales price (empty: price policy)")), "add": .text(r.text("添加明细", "Add line")),
                "submit": .text(r.text("提交审批", "Submit for approval")),
                "new_version": .text(r.text("新版本", "New version")), "convert": .text(r.text("转为订单", "Convert to order")),
            ],
        ]
    }
}
