import CRMKernel
import Foundation
import HummingbirdTesting
import Testing

/// The marketing module's pages (campaigns, leads, the lead pool with claim) and the leads by
/// source chart with its table and CSV.
struct MarketingPageTests {
    @Test func aRepClaimsALeadFromThePoolPage() async throws {
        let f = try WebFixture()
        let store = f.host.workspace.store
        let lead = try store.create("lead", ["name": .text("池中<script>线索</script>"), "phone": .text("13900000301"), "source": .text("展会")]).id
        try await f.withClient { c in
            let b = Browser(c)
            try await b.signIn("rep1")
            for path in ["/campaigns", "/leads"] { #expect(try await b.get(path).status == 200, "\(path)") }
            let pool = try await b.get("/leads/pool")
            #expect(pool.status == 200 && pool.html.contains("池中&lt;script&gt;线索") && !pool.html.contains("<script>线索"))
            let claimed = try await b.post("/leads/claim", [("_csrf", try #require(pool.hidden("_csrf"))), ("id", String(lead))])
            #expect(claimed.location == "/e/lead/\(lead)?saved=1")
            #expect(try store.get("lead", lead)?["owner"] == .integer(f.ids["rep1"]!))
            let page = try await b.get("/e/lead/\(lead)")
            #expect(page.html.contains("data-action=\"convert\"") && !page.html.contains("data-action=\"claim\""))
            let again = try await b.post("/leads/claim", [("_csrf", try #require(pool.hidden("_csrf"))), ("id", String(lead))])
            #expect(again.status == 409 || again.status == 422)  // no longer in the pool
        }
    }

    @Test func theDashboardShowsLeadsBySourceWithATableAndCSV() async throws {
        let f = try WebFixture()
        let store = f.host.workspace.store
        for (i, source) in ["展会", "展会", "研讨会"].enumerated() {
            _ = try store.create("lead", ["name": .text("线索\(i)"), "phone": .text("1390000040\(i)"), "source": .text(source)])
        }
        try await f.withClient { c in
            let b = Browser(c)
            try await b.signIn("boss")
            let home = try await b.get("/")
            #expect(home.html.contains("线索来源分布") && home.html.contains("id=\"leads-by-source\""))
            #expect(home.html.contains("<td>展会</td><td>2</td><td>0</td><td>0.0%</td>"))
            let csv = try await b.get("/dashboards/leads-by-source.csv")
            #expect(csv.status == 200 && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.html.contains("展会,2,0,0.0%") && csv.html.contains("研讨会,1,0,0.0%"))
        }
    }
}
