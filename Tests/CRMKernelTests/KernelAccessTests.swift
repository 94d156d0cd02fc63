import Foundation
import Testing
@testable import CRMKernel

/// The kernel applies the acting user's access to every read and write it is given, whichever
/// edge calls; hooks and `asSystem` work act for the system.
struct KernelAccessTests {
    /// `company` and `contact`, a `note` whose `digest` is derived from `company.city`, and a rep
    /// role that sees its own records, may not see `city` and may not change `employees`.
    static func store(hooks: HookSet = HookSet()) throws -> TestStore {
        var decls = Fixture.declarations
        decls.entities.append(EntityDefinition("note", label: LocalizedText("摘要"), titleField: "digest", fields: [
            FieldDefinition("digest", .text, label: LocalizedText("摘要"), searchable: true).derived(from: ["company.city"]),
            FieldDefinition("summary", .text, label: LocalizedText("概要"), searchable: true),
        ]))
        decls.roles = [RoleDefinition(id: "sales_rep", label: LocalizedText("销售"),
                                      grants: ["company": [.read, .create, .update, .delete], "contact": [.read, .create, .update],
                                               "note": [.read, .create]],
                                      hidden: ["company": ["city"]], readOnly: ["company": ["employees"]])]
        return try TestStore(decls, hooks: hooks)
    }

    static func guardFor(_ s: TestStore, _ user: ActingUser) throws -> AccessGuard {
        try s.store.read { try AccessGuard(user: user, schema: $0.schema, reader: $0) }
    }

    @Test func readsAreScopedAndHiddenFieldsLeftOutAndUnqueryable() throws {
        let s = try Self.store()
        let (ann, bob) = (try s.makeUser("ann"), try s.makeUser("bob"))
        let mine = try s.store.create("company", ["name": t("甲科技"), "city": t("深圳南山"), "owner": i(ann.id!)])
        let theirs = try s.store.create("company", ["name": t("乙科技"), "owner": i(bob.id!)])
        let g = try Self.guardFor(s, ann)
        #expect(try s.store.get("company", theirs.id, as: g) == nil)
        let seen = try #require(try s.store.get("company", mine.id, as: g))
        #expect(seen["city"] == .null && seen["name"] == t("甲科技"))
        #expect(try s.store.find(Query("company"), as: g).records.map(\.id) == [mine.id])
        #expect(try s.store.count("company", search: "科技", as: g) == 1)
        #expect(try s.store.count("company", search: "南山", as: g) == 0)
        #expect(try s.store.count("company", search: "南山") == 1)
        #expect(try s.store.find(Query("company", search: "甲科"), as: g).records.count == 1)
        #expect(try s.store.find(Query("company", search: "南山"), as: g).records.isEmpty)
        #expect(kernelError { _ = try s.store.find(Query("company", sort: [SortKey("city")]), as: g) }?.kind == .validation)
        #expect(kernelError { _ = try s.store.aggregate("company", groupBy: [GroupKey("city")], measures: [.count], as: g) }?.kind == .validation)
        let history = try s.store.history("company", mine.id, as: g)
        #expect(history.allSatisfy { $0.changes.allSatisfy { $0.field != "city" } } && !history.isEmpty)
        #expect(kernelError { _ = try s.store.history("company", theirs.id, as: g) }?.kind == .notFound)
    }

    @Test func fieldsDerivedFromAHiddenFieldOnAnotherEntityAreHidden() throws {
        let s = try Self.store()
        let ann = try s.makeUser("ann")
        let g = try Self.guardFor(s, ann)
        #expect(g.hiddenFields("note") == ["digest"])
        let note = try s.store.create("note", ["digest": t("底价八折"), "summary": t("概要"), "owner": i(ann.id!)])
        #expect(try s.store.get("note", note.id, as: g)?["digest"] == .null)
        #expect(try s.store.count("note", search: "底价", as: g) == 0)
        #expect(try s.store.count("note", search: "概要", as: g) == 1)
        #expect(kernelError { _ = try s.store.count("note", filter: .eq("digest", t("底价八折")), as: g) }?.kind == .validation)
    }

    @Test func writesNeedTheGrantTheScopeAndWritableFields() throws {
        let s = try Self.store()
        let (ann, bob) = (try s.makeUser("ann"), try s.makeUser("bob"))
        let g = try Self.guardFor(s, ann)
        let theirs = try s.store.create("company", ["name": t("乙科技"), "owner": i(bob.id!)])
        #expect(kernelError { try s.store.write(as: g) { tx in _ = try tx.create("company", ["name": t("丙"), "employees": i(3)]) } }?.kind == .forbidden)
        #expect(kernelError { try s.store.write(as: g) { tx in _ = try tx.create("company", ["name": t("丙"), "owner": i(bob.id!)]) } }?.kind == .forbidden)
        #expect(kernelError { try s.store.write(as: g) { tx in _ = try tx.update("company", theirs.id, ["name": t("改")]) } }?.kind == .notFound)
        #expect(kernelError { try s.store.write(as: g) { tx in try tx.delete("company", theirs.id) } }?.kind == .notFound)
        #expect(kernelError { try s.store.write(as: g) { tx in try tx.delete("contact", 1) } }?.kind == .forbidden)
        let invisible = kernelError { try s.store.write(as: g) { tx in _ = try tx.create("contact", ["name": t("甲"), "company": i(theirs.id)]) } }
        let missing = kernelError { try s.store.write(as: g) { tx in _ = try tx.create("contact", ["name": t("甲"), "company": i(theirs.id + 100)]) } }
        #expect(invisible?.description.replacingOccurrences(of: "\(theirs.id)", with: "ID")
                == missing?.description.replacingOccurrences(of: "\(theirs.id + 100)", with: "ID"))
        let mine = try s.store.write(as: g) { tx in try tx.create("company", ["name": t("丁")]) }
        #expect(mine["owner"] == i(ann.id!))
        // The module's own work says so: asSystem sets what the caller may not.
        let set = try s.store.write(as: g) { tx in try tx.asSystem { try tx.update("company", mine.id, ["employees": i(9)]) } }
        #expect(set["employees"] == i(9))
    }

    @Test func hooksActForTheSystemNotForTheCaller() throws {
        var hooks = HookSet()
        hooks.onBeforeSave("contact") { ctx in
            // Company code reads and writes what the caller may not.
            let companies = try ctx.tx.reader.count("company")
            ctx.values["name"] = .text("\(companies) companies")
            _ = try ctx.tx.create("company", ["name": t("钩子建"), "employees": i(1)])
        }
        let s = try Self.store(hooks: hooks)
        let (ann, bob) = (try s.makeUser("ann"), try s.makeUser("bob"))
        _ = try s.store.create("company", ["name": t("乙科技"), "owner": i(bob.id!)])
        let g = try Self.guardFor(s, ann)
        let contact = try s.store.write(as: g) { tx in try tx.create("contact", ["name": t("甲")]) }
        #expect(contact["name"] == t("1 companies"))
    }
}
