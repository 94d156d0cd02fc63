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

    @Test func theLeadPoolFormClaimsThroughTheModuleAndTheLeadPageOffersConvert() async throws {
        let f = try WebFixture()
        let store = f.host.workspace.store
        let lead = try store.create("lead", ["name": .text("表单线索"), "phone": .text("13900000302"), "source": .text("展会")]).id
        try await f.withClient { c in
            let b = Browser(c)
            try await b.signIn("rep1")
            let before = try await b.get("/e/lead/\(lead)")
            #expect(before.html.contains("data-action=\"claim\"") && before.html.contains("id=\"lead-actions\""))
            let pool = try await b.get("/leads/pool")
            #expect(pool.html.contains("action=\"/do/marketing/claim\""))
            let claimed = try await b.post("/do/marketing/claim", [("_csrf", try #require(pool.hidden("_csrf"))), ("_token", try #require(pool.hidden("_token"))),
                                                                   ("_back", "/leads/pool"), ("next", "/e/lead/\(lead)"), ("lead_id", String(lead))])
            #expect(claimed.location == "/e/lead/\(lead)?saved=1", "\(claimed.status) \(claimed.html)")
            #expect(try store.get("lead", lead)?["owner"] == .integer(f.ids["rep1"]!))
            let page = try await b.get("/e/lead/\(lead)")
            #expect(page.html.contains("action=\"/do/marketing/convert\"") && !page.html.contains("data-action=\"claim\""))
            let rep2 = Browser(c)
            try await rep2.signIn("rep2")
            let refused = try await rep2.post("/do/marketing/claim", [("_csrf", try await rep2.csrf()), ("_token", "again"), ("_back", "/leads/pool"),
                                                                      ("next", "/e/lead/\(lead)"), ("lead_id", String(lead))])
            #expect(refused.status == 404 || refused.status == 422, "\(refused.status)")  // not in the pool any more
            #expect(try store.get("lead", lead)?["owner"] == .integer(f.ids["rep1"]!))
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
