import Foundation
import Testing

/// 查重 through the real binary: `crm import` reports duplicates per row with file:line, and
/// `crm scripts check` reports bad duplicate rules with file:line.
struct DuplicateCLITests {
    @Test func importReportsDuplicateRowsWithFileAndLineAndImportsTheRest() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init"]).status == 0)
        let file = try crm.write("c.csv", """
            客户名称,联系方式,所属行业,客户来源
            深圳华信科技有限公司,+86 138-0013-8000,信息技术,展会推荐
            广州恒远贸易有限公司,13900139000,制造业,展会推荐
            深圳华信科技,13700137000,制造业,展会推荐
            杭州云帆软件,138 0013 8000,制造业,展会推荐
            成都博雅教育咨询（中国）有限公司,13600136000,教育,展会推荐

            """)
        let out = try crm.run(["import", "customer", file, "--batch-size", "2"])
        #expect(out.status == 2, "\(out.stderr)")
        #expect(out.stdout.contains("imported 3 customer record(s)"), "\(out.stdout)")
        #expect(out.stderr.contains("c.csv:4: duplicate customer (customer.name: 与客户 #1 深圳华信科技有限公司 重复（名称）)"), "\(out.stderr)")
        #expect(out.stderr.contains("c.csv:5: duplicate customer (customer.phone: 与客户 #1 深圳华信科技有限公司 重复（电话）)"), "\(out.stderr)")
        #expect(out.stderr.contains("2 record(s) rejected"))
        let export = try crm.run(["export", "customer"]).stdout
        #expect(export.split(separator: "\n").count == 4)
        #expect(export.contains("成都博雅教育咨询（中国）有限公司"))

        let again = try crm.run(["import", "customer", file])
        #expect(again.stdout.contains("imported 0 customer record(s)"), "importing the same file twice creates nothing")
    }

    @Test func scriptsCheckNamesTheFileAndLineOfBadDuplicateRules() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init"]).status == 0)
        let rules = crm.workspace.appendingPathComponent("scripts/30_rules.lua")
        try "-- 查重\ncrm.customers.duplicate_rules{\n  name = \"warn\",\n  phone = \"sometimes\",\n}\n".write(to: rules, atomically: true, encoding: .utf8)
        let check = try crm.run(["scripts", "check"])
        #expect(check.status == 6)
        #expect(check.stderr.contains("scripts/30_rules.lua:2: crm.customers.duplicate_rules: phone: unknown action 'sometimes' (known: block, warn, allow)"),
                "\(check.stderr)")
        try "crm.customers.duplicate_rules{ name = \"warn\" }\n".write(to: rules, atomically: true, encoding: .utf8)
        #expect(try crm.run(["scripts", "check"]).status == 0)
    }
}
