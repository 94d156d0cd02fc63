import CRMKernel

/// The 线索池 page (`/leads/pool`, template `Pages/lead_pool.mustache`: leads without an owner in
/// a pooled status, newest first, each with a claim button) and the actions section on a lead's
/// page (`Pages/lead_actions.mustache`: claim when it is pooled, convert into a customer, contact
/// and deal when the user may). Both post to `/do/marketing/claim` and `/do/marketing/convert`, so
/// the module's quota, cooldown and conversion map apply.
enum LeadPoolPages {
    /// The statuses of a lead waiting in the pool.
    static let pooledStatuses = ["新线索", "退回线索池"]
    /// The columns shown beside the name, when the user may see them.
    static let columns = ["company", "source", "region", "score", "status"]

    static var pool: PageView { PageView(template: PageTemplate("lead_pool", target: "CRMMarketing"), data: poolData) }

    static var actions: PluginPage {
        PluginPage("lead_actions", path: "#lead-actions", title: LocalizedText("线索操作", en: "Lead actions"),
                   requires: FunctionAccess(entity: "lead", action: .read),
                   view: PageView(template: PageTemplate("lead_actions", target: "CRMMarketing"), data: actionsData),
                   placement: .section(entity: "lead", order: 10))
    }

    @Sendable static func poolData(_ r: PageRequest) throws -> PageData {
        let filter = Filter.all([.condition(field: "owner", op: .isEmpty, value: .null), .any(pooledStatuses.map { Filter.eq("status", .text($0)) })])
        var query = Query("lead", filter: filter, sort: [SortKey("id", descending: true)], limit: 50)
        query.after = r.parameter("after")
        let page = try r.read { try $0.find(query) }
        let hidden = r.access.hiddenFields("lead"), fields = r.store.schema.entities["lead"]?.fieldsByName ?? [:]
        let shown = columns.filter { fields[$0] != nil && !hidden.contains($0) }
        let rows: [PageData] = page.records.map { record in
            ["id": .integer(record.id), "name": .text(r.title("lead", record.id)), "cells": .list(shown.map { PageData.value(record[$0]) ?? "" })]
        }
        var data: [String: PageData] = [
            "rows": .list(rows),
            "text": [
                "help": .text(r.text("领取受每日配额与冷却期限制；超出时会提示原因。", "Claims are limited by a daily quota and a cooldown; you are told when one applies.")),
                "claim": .text(r.text("领取", "Claim")), "next": .text(r.text("下一页 »", "Next page »")),
                "empty": .text(r.text("线索池中没有线索。", "The lead pool is empty.")),
            ],
        ]
        if let cursor = page.nextCursor { data["next_page"] = .text(r.link("/leads/pool", setting: "after", to: cursor)) }
        return .object(data)
    }

    @Sendable static func actionsData(_ r: PageRequest) throws -> PageData {
        let lead = try r.record("lead")
        let status = lead["status"].textValue ?? ""
        let claim = lead["owner"].isEmpty && pooledStatuses.contains(status)
        let convert = status != "已转化" && status != "无效" && r.access.allows(.update, on: "lead") && r.access.allows(.create, on: "customer")
        return [
            "lead": .integer(lead.id), "claim": .bool(claim), "convert": .bool(convert), "any": .bool(claim || convert),
            "text": ["claim": .text(r.text("领取线索", "Claim this lead")), "convert": .text(r.text("转化为客户与商机", "Convert to a customer and deal"))],
        ]
    }
}
