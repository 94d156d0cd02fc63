import CRMCustomers
import CRMKernel
import CRMPlugins
import Foundation
import Testing

/// A won opportunity makes its customer 成交 through the durable `opportunity.won` consumer of
/// the customers module, so 公海 reclaim spares it — and relabeling the choices (as a company's
/// pack may) changes none of it, because the code compares stored values, never labels.
struct DealWonTests {
    static let day: TimeInterval = 86_400

    /// The fixture's company contributions plus relabeled `customer.lifecycle` and `task.status`
    /// options and pool rules with a deal deadline.
    static func relabel(_ f: OpportunityFixture) throws {
        func option(_ value: String, _ label: String) -> ChoiceOption { ChoiceOption(value, label: LocalizedText(label, en: label)) }
        let lifecycle = FieldDefinition("lifecycle", .choice, label: LocalizedText("客户阶段"), defaultValue: .text(CustomerLifecycle.prospect), indexed: true,
                                        options: [option(CustomerLifecycle.prospect, "线索"), option(CustomerLifecycle.interested, "有意向"),
                                                  option(CustomerLifecycle.won, "已签约"), option(CustomerLifecycle.lost, "已放弃")])
        let status = FieldDefinition("status", .choice, label: LocalizedText("进度"), defaultValue: .text(TaskStatus.pending),
                                     options: [option(TaskStatus.pending, "未开始"), option(TaskStatus.inProgress, "处理中"),
                                               option(TaskStatus.done, "办结"), option(TaskStatus.overdue, "超期")])
        let rules: ScriptValue = .table(["reclaim": .table(["default": .table(["no_followup_days": .value(.integer(30)),
                                                                               "no_deal_days": .value(.integer(90))])])])
        try f.ws.applyCompany(CompanyContributions(schema: SchemaDeclarations(extensions: [
            FieldExtension(entity: "opportunity", field: FieldDefinition("decision_maker", .text, label: LocalizedText("决策人"))),
            FieldExtension(entity: "opportunity", field: FieldDefinition("business_line", .text, label: LocalizedText("业务线"))),
            FieldExtension(entity: "opportunity", field: FieldDefinition("bid_deadline", .date, label: LocalizedText("投标截止"))),
            FieldExtension(entity: "customer", field: lifecycle),
            FieldExtension(entity: "task", field: status),
        ], pipelines: [OpportunityFixture.stock], settings: [PoolRules.settingKey: rules])))
    }

    private func reclaimable(_ f: OpportunityFixture) throws -> [Int64] {
        try f.store.write(as: .system) { tx in try PoolReclaim.run(tx, now: tx.now, dryRun: true) }.moves.map(\.id)
    }

    @Test func winningAnOpportunityMakesItsCustomerWonAndReclaimSparesItUnderRelabeledChoices() throws {
        let f = try OpportunityFixture()
        try Self.relabel(f)
        let option = f.store.schema.entities["customer"]?.fieldsByName["lifecycle"]?.options.first { $0.value == CustomerLifecycle.won }
        #expect(option?.label.zh == "已签约", "the company's label is in force")
        try f.store.update("customer", f.customer, ["owner": .integer(f.rep.id!)])
        try f.store.update("customer", f.customer, ["assigned_at": .datetime(Date().addingTimeInterval(-100 * Self.day)),
                                                    "last_followup_at": .datetime(Date().addingTimeInterval(-Self.day))])
        #expect(try reclaimable(f) == [f.customer], "100 days without a deal")

        let deal = try f.store.create("opportunity", ["name": .text("华信 ERP 项目"), "customer": .integer(f.customer)])
        try f.store.update("opportunity", deal.id, ["stage": .text("赢单")])
        #expect(try f.store.get("customer", f.customer)?["lifecycle"] == .text(CustomerLifecycle.won))
        #expect(try reclaimable(f).isEmpty, "a customer with a won deal stays with its owner")
        let status = try #require(try f.store.consumerStatuses().first { $0.id == "customers.deal_won" })
        #expect(status.lag == 0 && status.lastError == nil)
        #expect(try f.store.history("customer", f.customer).last?.userName == "system", "the reaction is the system's, audited")
    }

    @Test func aLostDealChangesNothingAndTaskStatusesKeepWorkingUnderNewLabels() throws {
        let f = try OpportunityFixture()
        try Self.relabel(f)
        let deal = try f.store.create("opportunity", ["name": .text("小单"), "customer": .integer(f.customer)])
        try f.store.update("opportunity", deal.id, ["stage": .text("输单"), "loss_reason": .text("预算取消")])
        #expect(try f.store.get("customer", f.customer)?["lifecycle"] == .text(CustomerLifecycle.prospect))
        let late = try f.store.create("task", ["title": .text("回访"), "customer": .integer(f.customer), "status": .text(TaskStatus.inProgress),
                                               "due_at": .datetime(Date().addingTimeInterval(-3600))])
        #expect(late["status"] == .text(TaskStatus.overdue), "an open task past due is overdue whatever the labels say")
        let done = try f.store.create("task", ["title": .text("已办"), "customer": .integer(f.customer), "status": .text(TaskStatus.done),
                                               "due_at": .datetime(Date().addingTimeInterval(-3600))])
        #expect(done["status"] == .text(TaskStatus.done))
    }
}
