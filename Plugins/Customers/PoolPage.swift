import CRMKernel

/// The 公海 page (`/customers/pool`): customers without an owner the user may see, newest
/// first, 50 a page, searchable, each with a claim button (`crm.customers.claim`: its quota,
/// cap and cooldown apply), and the pools with how many customers each holds. Template:
/// `Pages/pool.mustache`.
enum PoolPage {
    /// The columns shown beside the name, when the user may see them.
    static let columns = ["province", "city", "industry", "grade"]

    static var view: PageView {
        PageView(template: PageTemplate("pool", target: "CRMCustomers"), data: data)
    }

    @Sendable static func data(_ r: PageRequest) throws -> PageData {
        var query = Query("customer", filter: .condition(field: "owner", op: .isEmpty, value: .null), sort: [SortKey("id", descending: true)], limit: 50)
        query.search = r.parameter("q")
        query.after = r.parameter("after")
        let page = try r.read { try $0.find(query) }
        let hidden = r.access.hiddenFields("customer"), fields = r.store.schema.entities["customer"]?.fieldsByName ?? [:]
        let shown = columns.filter { fields[$0] != nil && !hidden.contains($0) }
        let rows: [PageData] = page.records.map { record in
            let cells = shown.map { PageData.value(record[$0]) ?? "" }
            return ["id": .integer(record.id), "name": .text(r.title("customer", record.id)), "cells": .list(cells)]
        }
        var pools: [PageData] = []
        if case .list(let list)? = try? r.call("pools") {
            pools = list.compactMap(\.fields).map { ["name": .text($0["name"]?.text ?? ""), "customers": .integer($0["customers"]?.integer ?? 0)] }
        }
        var data: PageData = [
            "rows": .list(rows), "pools": .list(pools), "has_pools": .bool(!pools.isEmpty), "q": .text(r.query["q"] ?? ""),
            "text": [
                "help": .text(r.text("领取受每日配额与冷却期限制；超出时会提示原因。", "Claims are limited by a daily quota and a cooldown; you are told when one applies.")),
                "search": .text(r.text("搜索", "Search")), "claim": .text(r.text("领取", "Claim")), "next": .text(r.text("下一页 »", "Next page »")),
                "empty": .text(r.text("公海中没有客户。", "The pool is empty.")),
            ],
        ]
        if let cursor = page.nextCursor, case .object(var o) = data {
            o["next_page"] = .text(r.link("/customers/pool", setting: "after", to: cursor))
            data = .object(o)
        }
        return data
    }
}
