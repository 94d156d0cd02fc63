import Foundation
import Testing
@testable import CRMKernel

/// `find(_:only:)` reads a few fields of the same records, in the same order and pages, as `find`.
struct ProjectionTests {
    @Test func aProjectedPageHasTheSameRecordsOrderAndCursorsWithOnlyTheNamedFields() throws {
        let s = try TestStore()
        for n in 0..<9 {
            try s.store.create("company", ["name": t("公司\(n)"), "city": t(n % 2 == 0 ? "深圳" : "北京"), "employees": i(Int64(n % 3)),
                                           "founded": t("2020-01-0\(n + 1)"), "notes": t("备注\(n)")])
        }
        let filter = Filter.eq("city", t("深圳"))
        for sort in [[SortKey("employees", descending: true)], [SortKey("founded"), SortKey("id")], []] {
            var after: String? = nil, full: [Record] = [], narrow: [Record] = []
            repeat {
                let query = Query("company", filter: filter, sort: sort, limit: 2, after: after)
                let (page, projected) = try s.store.read { r in (try r.find(query), try r.find(query, only: ["name", "founded"])) }
                #expect(page.nextCursor == projected.nextCursor)
                full += page.records
                narrow += projected.records
                after = page.nextCursor
            } while after != nil
            #expect(narrow.map(\.id) == full.map(\.id))
            for (a, b) in zip(full, narrow) {
                #expect(b.values == ["name": a["name"], "founded": a["founded"]])
            }
        }
    }

    @Test func anUnknownFieldIsRefused() throws {
        let s = try TestStore()
        #expect(throws: KernelError.self) { try s.store.read { r in try r.find(Query("company"), only: ["nosuchfield"]) } }
    }
}
