import CRMCustomers
import CRMKernel
import Foundation

/// Demo data: opportunities spread over the stages of the default pipeline with a stage history
/// in the past (some won, some lost, one stalled), and monthly sales targets for the demo users.
enum OpportunityDemo {
    static let products = ["ERP 实施", "CRM 升级", "数据中心扩容", "办公设备采购", "年度维保", "安全审计", "培训服务", "云迁移"]

    static func seed(_ tx: WriteContext, _ demo: inout DemoContext) throws {
        let customers = try tx.reader.find(Query("customer", sort: [SortKey("id")], limit: 30)).records
        guard let pipeline = PipelineLookup(tx.schema).pipelines.first(where: { $0.selector == nil }) else {
            // Without stages (no script pack): plain opportunities.
            for c in customers {
                try tx.create("opportunity", ["name": .text("\(c["name"].textValue?.prefix(6) ?? "")\(products[Int(c.id) % products.count])"),
                                              "customer": .integer(c.id), "owner": c["owner"],
                                              "amount": .decimal(Decimal(Int.random(in: 5...500, using: &demo.random) * 1000))])
            }
            return try seedTargets(tx, demo, try WorkspaceCalendar(tx.reader))
        }
        let open = pipeline.openStages.map(\.name)
        let won = pipeline.stages.first { $0.outcome == .won }?.name, lost = pipeline.stages.first { $0.outcome == .lost }?.name
        let hasDecisionMaker = tx.schema.entities["opportunity"]?.fieldsByName["decision_maker"] != nil
        let calendar = try WorkspaceCalendar(tx.reader)
        for (i, c) in customers.enumerated() {
            // Where the deal ends up: spread over the open stages, with every fifth won and every seventh lost.
            let final: String = i % 5 == 4 ? (won ?? open.last!) : i % 7 == 6 ? (lost ?? open.last!) : open[i % open.count]
            let steps = final == won || final == lost ? open.count : (open.firstIndex(of: final) ?? 0) + 1
            let stalled = i == 1  // stays far longer than its stage allows
            let dayStep = 6.0 * 86_400
            var at = tx.now.addingTimeInterval(-Double(steps) * dayStep - Double(Int.random(in: 1...5, using: &demo.random)) * 86_400
                                                - (stalled ? 40 * 86_400 : 0))
            let close = calendar.day(of: tx.now.addingTimeInterval(Double(15 + (i % 6) * 30) * 86_400))
            var values: [String: Value] = [
                "name": .text("\(c["name"].textValue?.prefix(6) ?? "")\(products[i % products.count])"),
                "customer": .integer(c.id),
                "amount": .decimal(Decimal(Int.random(in: 5...500, using: &demo.random) * 1000)),
                "expected_close_date": .text(close),
                "owner": c["owner"] == .null ? (demo.users.values.sorted().first.map(Value.integer) ?? .null) : c["owner"],
                "stage": .text(open[0]), "stage_entered_at": .datetime(at), "opened_at": .datetime(at),
                "next_step": .text(["安排技术交流", "提交报价单", "约见决策人", "准备合同草案"][i % 4]),
            ]
            if i % 3 == 0 { values["competitor"] = .text(["金蝶", "用友", "销售易"][(i / 3) % 3]) }
            let id = try tx.create("opportunity", values).id
            for stage in open.dropFirst().prefix(steps - 1) + (final == won || final == lost ? [final] : []) {
                at = at.addingTimeInterval(stalled ? 86_400 : dayStep)
                var changes: [String: Value] = ["stage_entered_at": .datetime(at)]
                if hasDecisionMaker { changes["decision_maker"] = .text(CustomerDemo.personName(&demo.random)) }
                if stage == lost { changes["loss_reason"] = .text(["价格过高", "选择了竞争对手", "预算取消"][i % 3]) }
                // A company pack may gate a stage on fields the demo does not know: the deal stays
                // where it is (a refused move writes nothing).
                do { _ = try OpportunityActions.move(tx, id, to: stage, fields: changes) } catch let e as KernelError where e.kind == .validation { break }
            }
        }
        try seedTargets(tx, demo, calendar)
    }

    /// Monthly targets for each demo salesperson (sales managers and reps) for this month and the
    /// next two, and a quarterly one for their team.
    static func seedTargets(_ tx: WriteContext, _ demo: DemoContext, _ calendar: WorkspaceCalendar) throws {
        let months = (0..<3).map { k in String(calendar.day(of: calendar.calendar.date(byAdding: .month, value: k, to: tx.now)!).prefix(7)) }
        var teams = Set<Int64>()
        let managers = demo.users(withRole: "sales_manager")
        let sellers = Set(managers + demo.users(withRole: "sales_rep"))
        for (_, user) in demo.users.sorted(by: { $0.key < $1.key }) where sellers.contains(user) {
            for month in months {
                try tx.create("sales_target", ["user": .integer(user), "period": .text(month),
                                               "amount": .decimal(managers.contains(user) ? 500_000 : 300_000)])
            }
            if let team = try tx.reader.get("user", user)?["team"].integerValue { teams.insert(team) }
        }
        let month = Int(months[0].suffix(2)) ?? 1
        for team in teams.sorted() {
            try tx.create("sales_target", ["team": .integer(team), "period": .text("\(months[0].prefix(4))-Q\((month - 1) / 3 + 1)"),
                                           "amount": .decimal(3_000_000)])
            // The team's sales manager among the demo users leads it.
            let members = Set(try tx.reader.teamMembers([team]))
            if let manager = managers.first(where: members.contains), try tx.reader.get("team", team)?["manager"] == .null {
                try tx.update("team", team, ["manager": .integer(manager)])
            }
        }
    }
}
