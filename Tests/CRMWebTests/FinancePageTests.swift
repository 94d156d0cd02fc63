import CRMKernel
import Foundation
import HummingbirdTesting
import Testing

/// The finance module's own pages: 应收账龄 with its buckets and totals row, 回款计划 with the
/// status filter, both from the module's actions (so a bad as-of date is refused by the action).
struct FinancePageTests {
    @Test func theAgingAndCollectionPagesRenderWithTheirFilters() async throws {
        let f = try WebFixture()
        try await f.withClient { c in
            let b = Browser(c)
            try await b.signIn("boss")
            let aging = try await b.get("/finance/aging?as_of=2026-12-31&by=rep")
            #expect(aging.status == 200, "\(aging.html)")
            #expect(aging.html.contains("应收账龄") && aging.html.contains("未到期") && aging.html.contains("90+") && aging.html.contains("<tfoot>"))
            let plans = try await b.get("/finance/collection?status=" + b.enc("已逾期"))
            #expect(plans.status == 200 && plans.html.contains("逾期天数"), "\(plans.html)")
            let bad = try await b.get("/finance/aging?as_of=2026-13-40")
            #expect(bad.status >= 400 && bad.html.contains("as_of"), "\(bad.status)")
            let rep = Browser(c)
            try await rep.signIn("rep1")
            #expect(try await rep.get("/finance/aging").status == 200)
        }
    }
}
