import CRMCustomers
import CRMKernel
import Foundation

/// Demo data: three campaigns with their costs, a few hundred leads in every status (captured,
/// touched, assigned by the stock rules, followed up, returned, invalid, converted).
enum MarketingDemo {
    /// The demo marketing manager.
    static var users: [DemoUser] {
        [DemoUser(login: "chenjing", displayName: "陈静", role: "marketing_manager", team: "市场部", phone: "13800138066")]
    }

    static let campaigns: [(name: String, type: String, status: String, start: String, budget: Int64, costs: [(String, String, Int64)])] = [
        ("2026深圳工业自动化展", "展会", "已结束", "2026-09-10", 30_000_000,
         [("展位费", "实际", 12_000_000), ("搭建与物料", "实际", 6_500_000), ("差旅", "实际", 2_300_000), ("展位费", "预计", 12_000_000), ("搭建与物料", "预计", 8_000_000)]),
        ("秋季线上推广", "线上广告", "进行中", "2026-10-01", 20_000_000,
         [("搜索广告", "实际", 8_800_000), ("信息流广告", "实际", 4_200_000), ("广告预算", "预计", 18_000_000)]),
        ("智能制造研讨会", "研讨会", "策划中", "2026-12-20", 8_000_000,
         [("场地", "预计", 3_000_000), ("嘉宾", "预计", 2_000_000)]),
    ]
    static let regions = ["广东", "广东", "广西", "福建", "上海", "北京", "浙江", "四川"]
    static let products = ["空压机", "冷干机", "变频器", "工业机器人", "PLC控制器"]

    static func seed(_ tx: WriteContext, _ demo: inout DemoContext) throws {
        var campaignIDs: [Int64] = []
        let manager = demo.users["chenjing"].map(Value.integer) ?? .null
        for c in campaigns {
            let id = try tx.create("campaign", ["name": .text(c.name), "type": .text(c.type), "status": .text(c.status), "start_date": .text(c.start),
                                                "budget": .integer(c.budget), "expected_revenue": .integer(c.budget * 4), "owner": manager,
                                                "audience": .text(#"{"province":"广东"}"#),
                                                "review": .text(c.status == "已结束" ? "到场人数超预期，留资率 18%，下次提前一个月预热。" : "")]).id
            for (item, kind, amount) in c.costs {
                _ = try tx.create("campaign_cost", ["campaign": .integer(id), "item": .text(item), "kind": .text(kind), "amount": .integer(amount), "owner": manager])
            }
            campaignIDs.append(id)
        }
        let sources = ["展会", "线上广告", "研讨会"]
        let reps = ["lina", "wangqiang"].compactMap { demo.users[$0] }
        for i in 0..<300 {
            let which = i % 3
            var values: [String: Value] = [
                "name": .text(CustomerDemo.personName(&demo.random)),
                "company": .text(CustomerDemo.companyName(&demo.random, city: ["深圳", "广州", "上海", "杭州"].randomElement(using: &demo.random)!)),
                "phone": .text(CustomerDemo.mobile(&demo.random)),
                "region": .text(regions.randomElement(using: &demo.random)!),
                "product_interest": .text(products.randomElement(using: &demo.random)!),
                "source": .text(sources[which]), "campaign": .integer(campaignIDs[which]), "owner": .null,
            ]
            if i % 4 == 0 { values["email"] = .text("lead\(i)@example.cn") }
            let lead = try tx.create("lead", values)
            _ = try tx.create("lead_touch", ["lead": .integer(lead.id), "campaign": .integer(campaignIDs[which]), "source": .text(sources[which]),
                                             "at": .datetime(tx.now), "owner": .null])
            try LeadAssignment.assign(tx, lead: lead.id)
            let owner = try tx.reader.get("lead", lead.id)?["owner"].integerValue ?? reps.randomElement(using: &demo.random)
            switch i % 10 {
            case 1, 2:
                _ = try tx.create("followup", ["lead": .integer(lead.id), "type": .text("电话"), "content": .text("电话沟通需求，客户希望收到报价。"),
                                               "owner": owner.map(Value.integer) ?? .null])
            case 3:
                _ = try tx.update("lead", lead.id, ["status": .text(MarketingStatus.invalid), "invalid_reason": .text("空号或无效联系方式")])
            case 4:
                if try tx.reader.get("lead", lead.id)?["owner"] != .null { _ = try tx.update("lead", lead.id, ["owner": .null]) }
            case 5 where i % 20 == 5:
                _ = try tx.update("lead", lead.id, ["owner": owner.map(Value.integer) ?? .null])
                // A conversion the company's rules refuse (a duplicate customer, a cap) is left out of the demo.
                do {
                    _ = try tx.isolated { try LeadConversion.convert(tx, lead: lead.id, opportunity: ["amount": .integer(Int64(50_000 + i * 1000) * 100)]) }
                } catch is KernelError {}
            default: break
            }
        }
    }
}
