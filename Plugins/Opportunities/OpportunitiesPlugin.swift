import CRMKernel
import CRMCustomers
import Foundation

/// 商机 module: opportunities through a sales funnel, and sales targets.
public struct OpportunitiesPlugin: Plugin {
    /// Creates the plugin.
    public init() {}

    public var manifest: PluginManifest {
        PluginManifest(id: "opportunities", name: LocalizedText("商机管理", en: "Opportunities"), version: "0.1.0",
                       dependencies: ["customers"],
                       summary: LocalizedText("商机、销售阶段、漏斗与销售目标", en: "Opportunities, stages, funnel and sales targets"))
    }

    public var schema: SchemaDeclarations {
        let opportunity = EntityDefinition("opportunity", label: LocalizedText("商机", en: "Opportunity"), titleField: "name", fields: [
            FieldDefinition("name", .text, label: LocalizedText("商机名称", en: "Name"), required: true, searchable: true, maxLength: 200),
            FieldDefinition("customer", .reference, label: LocalizedText("客户", en: "Customer"), required: true, target: "customer"),
            FieldDefinition("contact", .reference, label: LocalizedText("联系人", en: "Contact"), target: "contact"),
            FieldDefinition("amount", .money, label: LocalizedText("预计金额", en: "Amount"), min: 0),
            FieldDefinition("expected_close_date", .date, label: LocalizedText("预计成交日期", en: "Expected close date"), indexed: true),
            FieldDefinition("stage", .choice, label: LocalizedText("销售阶段", en: "Stage"), indexed: true),
            FieldDefinition("probability", .integer, label: LocalizedText("赢率(%)", en: "Probability (%)"), min: 0, max: 100),
            FieldDefinition("competitor", .text, label: LocalizedText("竞争对手", en: "Competitor"), maxLength: 200),
            FieldDefinition("next_step", .text, label: LocalizedText("下一步", en: "Next step"), maxLength: 500),
            FieldDefinition("loss_reason", .text, label: LocalizedText("输单原因", en: "Loss reason"), maxLength: 500),
            FieldDefinition("won_date", .date, label: LocalizedText("赢单日期", en: "Won date")),
            FieldDefinition("closed_date", .date, label: LocalizedText("关闭日期", en: "Closed date")),
        ])
        let target = EntityDefinition("sales_target", label: LocalizedText("销售目标", en: "Sales target"), fields: [
            FieldDefinition("user", .user, label: LocalizedText("人员", en: "User"), indexed: true),
            FieldDefinition("team", .reference, label: LocalizedText("团队", en: "Team"), target: "team"),
            FieldDefinition("period", .text, label: LocalizedText("期间", en: "Period"), required: true, indexed: true, maxLength: 7,
                            pattern: "[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4])", help: "2026-11 或 2026-Q4"),
            FieldDefinition("amount", .money, label: LocalizedText("目标金额", en: "Target amount"), required: true, min: 0),
        ])
        return SchemaDeclarations(entities: [opportunity, target])
    }

    public var scriptFunctions: [ScriptFunction] {
        OpportunityReports.scriptFunctions.map { $0.access == nil ? $0.requiring(.read, on: "opportunity") : $0 }
    }

    public func seedDemo(_ tx: WriteContext, _ demo: inout DemoContext) throws {
        let customers = try tx.reader.find(Query("customer", limit: 30)).records
        let stageField = tx.schema.entities["opportunity"]?.fieldsByName["stage"]
        let stages = stageField?.options.map(\.value) ?? []
        for (i, c) in customers.enumerated() {
            var values: [String: Value] = [
                "name": .text("\(c["name"].description.prefix(8))采购项目"),
                "customer": .integer(c.id),
                "amount": .decimal(Decimal(Int.random(in: 5...500, using: &demo.random) * 1000)),
                "expected_close_date": .text("2027-0\(1 + i % 6)-15"),
                "owner": c["owner"],
            ]
            if !stages.isEmpty { values["stage"] = .text(stages[min(i % 3, stages.count - 1)]) }
            try tx.create("opportunity", values)
        }
    }
}
