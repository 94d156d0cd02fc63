import CRMKernel
import CRMPlugins
import Foundation

/// A workspace with the built-in modules, the stock opportunity stages (as the stock pack
/// declares them) and a second company pipeline `project` chosen by `business_line = "项目"`.
final class OpportunityFixture: @unchecked Sendable {
    let directory: URL
    let ws: Workspace
    let customer: Int64
    let rep: ActingUser
    let manager: Int64
    let team: Int64

    static let stock = Pipeline(entity: "opportunity", stages: [
        StageDefinition(name: "初步接触", probability: 10, maxDays: 14),
        StageDefinition(name: "需求确认", probability: 30, maxDays: 21),
        StageDefinition(name: "方案制定", probability: 50, maxDays: 21),
        StageDefinition(name: "合同谈判", probability: 80, requires: ["amount", "expected_close_date", "decision_maker"], maxDays: 30),
        StageDefinition(name: "赢单", probability: 100, outcome: .won),
        StageDefinition(name: "输单", probability: 0, requires: ["loss_reason"], outcome: .lost),
    ], allowBack: true)

    static let project = Pipeline(entity: "opportunity", name: "project", selector: .init(field: "business_line", value: "项目"), stages: [
        StageDefinition(name: "立项", probability: 5),
        StageDefinition(name: "招投标", probability: 40, requires: ["bid_deadline"], maxDays: 10),
        StageDefinition(name: "中标", probability: 100, outcome: .won),
        StageDefinition(name: "未中标", probability: 0, outcome: .lost),
    ], allowBack: false)

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("crm-opps-\(UUID().uuidString)")
        ws = try Workspace(directory: directory, registry: try BuiltInPlugins.registry(), create: true)
        try ws.applyCompany(CompanyContributions(schema: SchemaDeclarations(extensions: [
            FieldExtension(entity: "opportunity", field: FieldDefinition("decision_maker", .text, label: LocalizedText("决策人"))),
            FieldExtension(entity: "opportunity", field: FieldDefinition("business_line", .text, label: LocalizedText("业务线"))),
            FieldExtension(entity: "opportunity", field: FieldDefinition("bid_deadline", .date, label: LocalizedText("投标截止"))),
        ], pipelines: [Self.stock, Self.project])))
        let s = ws.store
        manager = try s.create("user", ["name": .text("zhangwei"), "role": .text("sales_manager")]).id
        team = try s.create("team", ["name": .text("华南销售部"), "manager": .integer(manager)]).id
        let repID = try s.create("user", ["name": .text("lina"), "role": .text("sales_rep"), "team": .integer(team)]).id
        rep = ActingUser(id: repID, name: "lina", role: "sales_rep")
        customer = try s.create("customer", ["name": .text("深圳华信科技有限公司"), "phone": .text("13800138000"),
                                             "industry": .text("信息技术"), "source": .text("展会推荐")]).id
    }

    deinit {
        // Closed first: its scripts' hooks hold it, which would keep its connections open on the files removed here.
        ws.close()
        try? FileManager.default.removeItem(at: directory)
    }

    var store: RecordStore { ws.store }

    /// Creates an opportunity as the rep.
    @discardableResult
    func create(_ name: String = "华信 ERP 项目", _ extra: [String: Value] = [:]) throws -> Record {
        try store.write(as: rep) { tx in
            try tx.create("opportunity", ["name": .text(name), "customer": .integer(customer)].merging(extra) { $1 })
        }
    }

    /// Writes as the rep.
    func write<T>(_ body: (WriteContext) throws -> T) throws -> T { try store.write(as: rep, body) }

    /// The stage history of `id`, oldest first.
    func history(_ id: Int64) throws -> [Record] {
        try store.find(Query("opportunity_stage", filter: .eq("opportunity", .integer(id)), sort: [SortKey("id")])).records
    }

    /// A fixed instant `days` days after 2026-01-01T00:00:00Z.
    static func day(_ days: Double) -> Value { .datetime(Date(timeIntervalSince1970: 1_767_225_600 + days * 86_400)) }
}

/// The `KernelError` a throwing body raised.
func kernelError(_ body: () throws -> Void) -> KernelError? {
    do { try body(); return nil } catch let e as KernelError { return e } catch { return nil }
}
