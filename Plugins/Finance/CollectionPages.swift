import CRMKernel

/// The finance module's own pages, from its actions (so the access is the action's):
/// 回款计划 (`/finance/collection`: installments with their status as of a day, filterable by
/// status; template `Pages/collection.mustache`) and 应收账龄 (`/finance/aging`: open amounts
/// per bucket by customer, rep or team, with a totals row equal to the sum of the rows;
/// template `Pages/aging.mustache`).
enum CollectionPages {
    static let statuses = ["待回款", "部分回款", "已回款", "已逾期", "作废"]

    static var collection: PageView { PageView(template: PageTemplate("collection", target: "CRMFinance"), data: collectionData) }
    static var aging: PageView { PageView(template: PageTemplate("aging", target: "CRMFinance"), data: agingData) }

    /// A filter's choices, the current one selected (the first is "any").
    static func choices(_ values: [String], selected: String?) -> PageData {
        .list(([""] + values).map { ["value": .text($0), "label": .text($0.isEmpty ? "—" : $0), "selected": .bool($0 == (selected ?? ""))] })
    }

    @Sendable static func collectionData(_ r: PageRequest) throws -> PageData {
        var options: [String: ScriptValue] = ["limit": .value(.integer(200))]
        if let asOf = r.parameter("as_of") { options["as_of"] = .value(.text(asOf)) }
        if let status = r.parameter("status") { options["status"] = .value(.text(status)) }
        var rows: [PageData] = []
        if case .list(let items) = try r.call("installments", [.table(options)]) {
            for f in items.compactMap(\.fields) {
                func value(_ key: String) -> Value { if case .value(let v)? = f[key] { return v } else { return .null } }
                func money(_ key: String) -> PageData { value(key).integerValue.map(PageData.money) ?? "" }
                var row: PageData = [
                    "seq": .text(value("seq").isEmpty ? "" : value("seq").description), "name": .text(value("name").textValue ?? ""),
                    "due_date": .text(value("due_date").textValue ?? ""), "amount": money("amount_fen"), "received": money("received_fen"),
                    "open": money("open_fen"), "status": .text(value("status").textValue ?? ""),
                    "overdue_days": .text((value("overdue_days").integerValue ?? 0) > 0 ? value("overdue_days").description : ""),
                ]
                if let order = value("order").integerValue, case .object(var o) = row {
                    o["order"] = ["id": .integer(order), "title": .text(r.title("order", order))]
                    row = .object(o)
                }
                rows.append(row)
            }
        }
        return [
            "rows": .list(rows), "as_of": .text(r.query["as_of"] ?? ""), "statuses": choices(statuses, selected: r.query["status"]),
            "text": [
                "as_of": .text(r.text("截至日期", "As of")), "status": .text(r.text("状态", "Status")), "show": .text(r.text("查看", "Show")),
                "order": .text(r.text("订单", "Order")), "seq": .text(r.text("期数", "No.")), "name": .text(r.text("款项", "Name")),
                "due": .text(r.text("计划日期", "Due")), "amount": .text(r.text("计划金额", "Amount")), "received": .text(r.text("已回款", "Received")),
                "open": .text(r.text("未回款", "Open")), "overdue": .text(r.text("逾期天数", "Days overdue")),
            ],
        ]
    }

    @Sendable static func agingData(_ r: PageRequest) throws -> PageData {
        var options: [String: ScriptValue] = [:]
        if let asOf = r.parameter("as_of") { options["as_of"] = .value(.text(asOf)) }
        let by = ["customer": "customer", "rep": "rep", "team": "team"][r.query["by"] ?? ""] ?? "customer"
        options["by"] = .value(.text(by))
        let report = try r.call("aging", [.table(options)])
        guard let fields = report.fields, case .list(let buckets)? = fields["buckets"], case .list(let rows)? = fields["rows"],
              case .list(let totals)? = fields["totals"] else { throw KernelError(.scriptFailed, "finance.aging answered an unexpected shape") }
        func amounts(_ cells: [ScriptValue]) -> PageData { .list(cells.map { $0.integer.map(PageData.money) ?? "" }) }
        let body: [PageData] = rows.compactMap { row in
            guard let f = row.fields, case .list(let cells)? = f["buckets"] else { return nil }
            return ["label": .text(f["label"]?.text ?? "—"), "cells": amounts(cells + [f["total_fen"] ?? .null])]
        }
        return [
            "buckets": .list(buckets.map { .text($0.text ?? "") }), "rows": .list(body), "totals": amounts(totals + [fields["total_fen"] ?? .null]),
            "as_of": .text(r.query["as_of"] ?? ""), "groupings": choices(["customer", "rep", "team"], selected: r.query["by"]),
            "text": [
                "as_of": .text(r.text("截至日期", "As of")), "by": .text(r.text("分组", "By")), "show": .text(r.text("查看", "Show")),
                "total": .text(r.text("合计", "Total")),
                "group": .text(by == "customer" ? r.text("客户", "Customer") : by == "rep" ? r.text("销售", "Rep") : r.text("团队", "Team")),
            ],
        ]
    }
}
