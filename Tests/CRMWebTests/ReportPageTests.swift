import CRMKernel
import Foundation
import HummingbirdTesting
import Testing

/// The 报表 pages: the list, a run with its table and chart, exports, and escaped output.
struct ReportPageTests {
    static let script = """
        crm.report("customers_by_source", { title = "<script>alert(1)</script>客户来源", entity = "customer",
          params = { { name = "period", type = "period", label = "期间" } },
          filters = { { "created_at", "$period" } },
          group_by = { { "source", label = "来源" } }, measures = { { name = "n", count = true, label = "客户数" } } })
        """

    @Test func listsRunsAndExportsAReportWithEveryTextEscaped() async throws {
        let f = try WebFixture(companyScript: Self.script)
        try f.host.workspace.store.write(as: .system) { tx in
            _ = try tx.create("customer", ["name": .text("<img src=x onerror=alert(1)>公司"), "phone": .text("13900000011"),
                                           "industry": .text("信息技术"), "source": .text("展会推荐"), "owner": .integer(f.ids["rep1"]!)])
        }
        try await f.withClient { c in
            let b = Browser(c)
            try await b.signIn("rep1")
            let list = try await b.get("/reports")
            #expect(list.status == 200)
            #expect(list.html.contains("/reports/customers_by_source"))
            #expect(list.html.contains("/reports/opportunities.funnel"))
            #expect(!list.html.contains("<script>alert"))
            let run = try await b.get("/reports/customers_by_source")
            #expect(run.status == 200)
            #expect(run.html.contains("&lt;script&gt;"))
            #expect(!run.html.contains("<script>alert"))
            #expect(run.html.contains("<th scope=\"col\">客户数</th>"))
            #expect(run.html.contains("format=svg"))
            let bad = try await b.get("/reports/customers_by_source?period=whenever")
            #expect(bad.html.contains("role=\"alert\"") && bad.html.contains("period"))
            let csv = try await b.get("/reports/customers_by_source/export?format=csv")
            #expect(csv.status == 200 && csv.html.contains("来源,客户数"))
            let svg = try await b.get("/reports/customers_by_source/export?format=svg")
            #expect(svg.status == 200 && svg.html.hasPrefix("<svg") && !svg.html.contains("<script>"))
        }
    }
}
