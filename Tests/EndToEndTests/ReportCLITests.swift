import Foundation
import Testing

/// `crm report list|run|save|delete` through the real binary: the command group the built-in
/// list (`BuiltInCommands`) gives the executable.
@Suite(.serialized) struct ReportCLITests {
    static let spec = #"""
    {"title": {"zh": "按城市客户数", "en": "Customers by city"}, "entity": "customer",
     "group_by": [{"field": "city", "label": "城市"}], "measures": [{"name": "n", "kind": "count"}],
     "roles": ["sales_manager"]}
    """#

    @Test func listRunSaveAndDeleteReportsInEveryFormat() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init", "--demo"]).status == 0)
        try #require(crm.run(["user", "add", "rep9", "--role", "sales_rep"]).status == 0)
        try #require(crm.run(["user", "add", "mgr9", "--role", "sales_manager"]).status == 0)

        let list = try crm.run(["report", "list"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("opportunities.funnel") && list.stdout.contains("sales_monthly"))

        let csv = try crm.run(["report", "run", "sales_monthly", "--param", "period=this_year", "--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout.contains("员工姓名,订单数,成交金额"))
        let xlsx = crm.root.appendingPathComponent("漏斗.xlsx").path
        let written = try crm.run(["report", "run", "opportunities.funnel", "--out", xlsx])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stderr.contains("wrote opportunities.funnel"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: xlsx)).prefix(2) == Data("PK".utf8), "an .xlsx is a zip archive")

        // An administrator's saved report, shared with managers only.
        let save = try crm.run(["report", "save", "by_city", try crm.write("by_city.json", Self.spec)])
        #expect(save.status == 0, "\(save.stderr)")
        let byCity = try crm.run(["report", "run", "by_city", "--format", "csv", "--lang", "en"])
        #expect(byCity.status == 0, "\(byCity.stderr)")
        #expect(byCity.stdout.split(whereSeparator: \.isNewline).count > 2, "\(byCity.stdout)")
        #expect(try crm.run(["report", "list", "--as", "mgr9"]).stdout.contains("by_city"))
        #expect(!(try crm.run(["report", "list", "--as", "rep9"]).stdout.contains("by_city")))
        let refused = try crm.run(["report", "run", "by_city", "--as", "rep9"])
        #expect(refused.status == 3 && refused.stderr.contains("no report 'by_city'"))

        let delete = try crm.run(["report", "delete", "by_city"])
        #expect(delete.status == 0 && delete.stdout.contains("deleted report by_city"))
        #expect(try crm.run(["report", "run", "by_city"]).status == 3)
    }

    @Test func badArgumentsAndSpecsAreRefusedWithTheirReason() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init"]).status == 0)
        let badParam = try crm.run(["report", "run", "sales_monthly", "--param", "period"])
        #expect(badParam.status == 2 && badParam.stderr.contains("--param 'period': expected k=v"))
        let noOut = try crm.run(["report", "run", "sales_monthly", "--format", "pdf"])
        #expect(noOut.status == 2 && noOut.stderr.contains("--format pdf needs --out FILE"))
        let badSpec = try crm.run(["report", "save", "x", try crm.write("bad.json", #"{"entity": "customer"}"#)])
        #expect(badSpec.status == 2 && badSpec.stderr.contains("missing"), "\(badSpec.stderr)")
        let missingFile = try crm.run(["report", "save", "x", crm.root.appendingPathComponent("none.json").path])
        #expect(missingFile.status == 3 && missingFile.stderr.contains("cannot read the file"))
        #expect(try crm.run(["report", "delete", "never_saved"]).status == 3)
    }
}
