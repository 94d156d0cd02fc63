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

    /// For a restricted user the projection reads the columns itself, and still gives what
    /// `find` does: only records in the user's scope, no hidden field, hidden sorts refused.
    @Test func aRestrictedProjectionIsScopedAndLeavesHiddenFieldsOut() throws {
        let s = try KernelAccessTests.store()
        let (ann, bob) = (try s.makeUser("ann"), try s.makeUser("bob"))
        for n in 0..<7 {
            try s.store.create("company", ["name": t("公司\(n)"), "city": t("深圳"), "employees": i(Int64(n)), "owner": i(n % 3 == 0 ? bob.id! : ann.id!)])
        }
        let g = try KernelAccessTests.guardFor(s, ann)
        var after: String? = nil, full: [Record] = [], narrow: [Record] = []
        repeat {
            let query = Query("company", sort: [SortKey("employees", descending: true)], limit: 2, after: after)
            let (page, projected) = try s.store.read(as: g) { r in (try r.find(query), try r.find(query, only: ["name", "city", "employees"])) }
            #expect(page.nextCursor == projected.nextCursor)
            full += page.records
            narrow += projected.records
            after = page.nextCursor
        } while after != nil
        #expect(narrow.map(\.id) == full.map(\.id) && narrow.count == 4)
        for (a, b) in zip(full, narrow) { #expect(b.values == ["name": a["name"], "employees": a["employees"]] && b["city"] == .null) }
        #expect(kernelError { _ = try s.store.read(as: g) { try $0.find(Query("company", sort: [SortKey("city")]), only: ["name"]) } }?.kind == .validation)
    }
}
