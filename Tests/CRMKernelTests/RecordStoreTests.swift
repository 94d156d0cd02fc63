import Foundation
import Testing
@testable import CRMKernel

struct RecordStoreTests {
    @Test func createThenGetRoundTripsEveryFieldType() throws {
        let s = try TestStore()
        let parent = try s.store.create("company", ["name": t("母公司")])
        let boss = try s.makeUser("li.lei")
        let contacted = try #require(DateCoding.parseInstant("2026-11-22T16:30:00+08:00"))
        let input: [String: Value] = [
            "name": t("深圳华信科技"), "code": t("SZH-001"), "notes": t("第一行\n第二行"),
            "employees": i(250), "rating": d("4.5"), "revenue": d("1234567.89"), "active": .bool(false),
            "founded": t("2008-02-29"), "contacted_at": t("2026-11-22T16:30:00+08:00"), "stage": t("won"),
            "industries": .list(["it", "energy"]), "parent": i(parent.id), "manager": i(boss.id!),
            "phone": t("+86 755-1234 5678"), "email": t("info@huaxin.cn"), "website": t("https://huaxin.cn"),
            "tags": t("重点, vip，深圳"), "city": t("深圳"),
        ]
        let created = try s.store.create("company", input)
        let got = try #require(try s.store.get("company", created.id))
        for (name, expected) in [
            ("name", t("深圳华信科技")), ("code", t("SZH-001")), ("notes", t("第一行\n第二行")), ("employees", i(250)),
            ("rating", d("4.5")), ("revenue", d("1234567.89")), ("active", .bool(false)), ("founded", t("2008-02-29")),
            ("contacted_at", .datetime(contacted)), ("stage", t("won")), ("industries", .list(["it", "energy"])),
            ("parent", i(parent.id)), ("manager", i(boss.id!)), ("phone", t("+86 755-1234 5678")),
            ("email", t("info@huaxin.cn")), ("website", t("https://huaxin.cn")), ("tags", .list(["重点", "vip", "深圳"])),
            ("city", t("深圳")), ("id", i(created.id)),
        ] as [(String, Value)] {
            #expect(got[name] == expected, "\(name)")
            #expect(created[name] == expected, "\(name) as returned by create")
        }
        #expect(got["contacted_at"].description == "2026-11-22T08:30:00Z")
        if case .datetime = got["created_at"] {} else { Issue.record("created_at is \(got["created_at"])") }
        #expect(got["owner"] == .null)
        #expect(got["created_by"] == .null)
    }

    @Test func moneyAndDecimalsStayExact() throws {
        let s = try TestStore()
        for text in ["0.10", "0.01", "12345678901234.56", "-0.99", "1234.50"] {
            let r = try s.store.create("company", ["name": t("m"), "revenue": t(text)])
            let expected = Decimal(string: text)!
            #expect(try s.store.get("company", r.id)?["revenue"] == .decimal(expected), "\(text)")
        }
        let r = try s.store.create("company", ["name": t("m"), "revenue": .real(0.3)])
        #expect(r["revenue"] == d("0.3"))
        #expect(kernelError { try s.store.create("company", ["name": t("m"), "revenue": .real(0.1 + 0.2)]) }?.fieldErrors.first?.field == "revenue")
        let e = try #require(kernelError { try s.store.create("company", ["name": t("m"), "revenue": t("1.005")]) })
        #expect(e.fieldErrors.map(\.field) == ["revenue"])
        #expect(kernelError { try s.store.create("company", ["name": t("m"), "revenue": t("1e5")]) }?.fieldErrors.first?.field == "revenue")
        #expect(kernelError { try s.store.create("company", ["name": t("m"), "revenue": t("90000000000000.00")]) }?.fieldErrors.first?.message.contains("too large") == true)
    }

    @Test func defaultsApplyOnCreateOnlyWhenNoValueIsGiven() throws {
        let s = try TestStore()
        let plain = try s.store.create("company", ["name": t("A")])
        #expect(plain["stage"] == t("lead"))
        #expect(plain["active"] == .bool(true))
        let given = try s.store.create("company", ["name": t("B"), "stage": t("lost"), "active": .bool(false)])
        #expect(try s.store.get("company", given.id)?["stage"] == t("lost"))
        #expect(try s.store.get("company", given.id)?["active"] == .bool(false))
        let updated = try s.store.update("company", given.id, ["stage": .null])
        #expect(updated["stage"] == .null)
        #expect(try s.store.get("company", given.id)?["stage"] == .null)
    }

    @Test func requiredFieldsMustHaveAValue() throws {
        let s = try TestStore()
        for input: [String: Value] in [[:], ["name": t("")], ["name": .null], ["city": t("深圳")]] {
            let e = try #require(kernelError { try s.store.create("company", input) })
            #expect(e.kind == .validation)
            #expect(e.entity == "company")
            #expect(e.fieldErrors.map(\.field) == ["name"])
            #expect(e.fieldErrors[0].message.contains("required"))
        }
        let r = try s.store.create("company", ["name": t("A")])
        #expect(kernelError { try s.store.update("company", r.id, ["name": t("")]) }?.fieldErrors.map(\.field) == ["name"])
        #expect(try s.store.count("company") == 1)
    }

    @Test func unknownAndSystemFieldsAreRefusedAndIdIsIgnored() throws {
        let s = try TestStore()
        let e = try #require(kernelError { try s.store.create("company", ["name": t("A"), "colour": t("red"), "created_at": t("2020-01-01T00:00:00Z")]) })
        #expect(e.kind == .validation)
        #expect(e.fieldErrors.map(\.field) == ["colour", "created_at"])
        #expect(e.fieldErrors[0].message.contains("unknown field"))
        #expect(e.fieldErrors[1].message.contains("system"))
        #expect(kernelError { try s.store.create("company", ["name": t("A"), "updated_by": i(1)]) }?.fieldErrors.map(\.field) == ["updated_by"])
        let r = try s.store.create("company", ["name": t("A"), "id": i(999)])
        #expect(r.id != 999)
        #expect(try s.store.get("company", 999) == nil)
        #expect(kernelError { try s.store.create("nope", ["name": t("A")]) }?.kind == .notFound)
    }

    @Test func uniqueValuesAreEnforcedButEmptyValuesAreNot() throws {
        let s = try TestStore()
        let a = try s.store.create("company", ["name": t("A"), "code": t("ABC-1")])
        let e = try #require(kernelError { try s.store.create("company", ["name": t("B"), "code": t("ABC-1")]) })
        #expect(e.kind == .conflict)
        #expect(e.entity == "company")
        #expect(e.fieldErrors.map(\.field) == ["code"])
        #expect(e.fieldErrors[0].message.contains("company \(a.id)"))
        _ = try s.store.create("company", ["name": t("C")])
        _ = try s.store.create("company", ["name": t("D")])
        try s.store.update("company", a.id, ["code": t("ABC-1"), "city": t("上海")])
        let b = try s.store.create("company", ["name": t("B"), "code": t("ABC-2")])
        #expect(kernelError { try s.store.update("company", b.id, ["code": t("ABC-1")]) }?.fieldErrors.map(\.field) == ["code"])
        #expect(try s.store.count("company") == 4)
    }

    @Test func aCountStopsAtItsLimit() throws {
        let s = try TestStore()
        for i in 0..<7 { _ = try s.store.create("company", ["name": t("公司\(i)"), "city": t(i < 5 ? "上海" : "北京")]) }
        let shanghai = Filter.eq("city", t("上海"))
        #expect(try s.store.count("company", filter: shanghai) == 5)
        #expect(try s.store.count("company", filter: shanghai, upTo: 3) == 3)
        #expect(try s.store.count("company", filter: shanghai, upTo: 6) == 5)
        #expect(try s.store.count("company", upTo: 100) == 7 && s.store.count("company", upTo: 0) == 0)
        #expect(try s.store.count("company", search: "公司", upTo: 2) == 2)
    }

    @Test func numberRangesAndTextLengthAreChecked() throws {
        let s = try TestStore()
        let cases: [(String, Value, Bool)] = [
            ("employees", i(0), true), ("employees", i(1000), true), ("employees", i(-1), false), ("employees", i(1001), false),
            ("employees", t("42"), true), ("employees", t("4.5"), false), ("employees", t("abc"), false), ("employees", .real(7), true),
            ("rating", d("5"), true), ("rating", d("5.1"), false), ("rating", d("-0.1"), false), ("rating", d("4.25"), false),
            ("name", t("一二三四五六七八九十一二三四五六七八九十"), true), ("name", t("一二三四五六七八九十一二三四五六七八九十一"), false),
        ]
        for (field, value, ok) in cases {
            var input: [String: Value] = ["name": t("N")]
            input[field] = value
            if ok {
                #expect(throws: Never.self, "\(field) = \(value)") { try s.store.create("company", input) }
            } else {
                #expect(kernelError { try s.store.create("company", input) }?.fieldErrors.map(\.field) == [field], "\(field) = \(value)")
            }
        }
        #expect(kernelError { try s.store.create("company", ["name": t("N"), "employees": i(5000)]) }?.fieldErrors.first?.message.contains("at most 1000") == true)
    }

    @Test func formatsPatternsAndOptionsAreChecked() throws {
        let s = try TestStore()
        let cases: [(String, Value, Bool)] = [
            ("code", t("ABC-12"), true), ("code", t("abc-12"), false), ("code", t("XABC-12"), false), ("code", t("ABC-12x"), false),
            ("email", t("a@b.cn"), true), ("email", t("a@b"), false), ("email", t("@b.cn"), false), ("email", t("a b@c.cn"), false),
            ("website", t("http://x.cn"), true), ("website", t("x.cn"), false),
            ("phone", t("(0755) 1234-5678"), true), ("phone", t("call me"), false), ("phone", t("++--"), false),
            ("founded", t("2024-02-29"), true), ("founded", t("2023-02-29"), false), ("founded", t("2024-13-01"), false), ("founded", t("24-1-1"), false),
            ("contacted_at", t("2026-11-22T08:30:00Z"), true), ("contacted_at", t("yesterday"), false),
            ("active", t("是"), true), ("active", t("否"), true), ("active", t("maybe"), false), ("active", i(2), false),
            ("stage", t("won"), true), ("stage", t("pending"), false),
            ("industries", t("it, retail"), true), ("industries", .list(["it", "mining"]), false),
            ("city", t("深圳\n福田"), false), ("notes", t("多行\n文本"), true),
        ]
        for (field, value, ok) in cases {
            var input: [String: Value] = ["name": t("N")]
            input[field] = value
            if ok {
                #expect(throws: Never.self, "\(field) = \(value)") { try s.store.create("company", input) }
            } else {
                #expect(kernelError { try s.store.create("company", input) }?.fieldErrors.map(\.field) == [field], "\(field) = \(value)")
            }
        }
        let r = try s.store.create("company", ["name": t("N"), "industries": t("it;retail、it"), "active": t("否"), "founded": t("2026-01-02T10:00:00Z")])
        #expect(r["industries"] == .list(["it", "retail"]))
        #expect(r["active"] == .bool(false))
        #expect(r["founded"] == t("2026-01-02"))
        let e = try #require(kernelError { try s.store.create("company", ["name": t("N"), "stage": t("pending")]) })
        #expect(e.fieldErrors[0].message.contains("lead, won, lost"))
    }

    @Test func referencesMustExistAndReferencedRecordsCannotBeDeleted() throws {
        let s = try TestStore()
        var e = try #require(kernelError { try s.store.create("contact", ["name": t("张伟"), "company": i(42)]) })
        #expect(e.kind == .validation)
        #expect(e.entity == "contact")
        #expect(e.fieldErrors.map(\.field) == ["company"])
        #expect(e.fieldErrors[0].message.contains("company 42 does not exist"))
        #expect(kernelError { try s.store.create("company", ["name": t("A"), "manager": i(7)]) }?.fieldErrors.map(\.field) == ["manager"])
        let company = try s.store.create("company", ["name": t("华信")])
        let contact = try s.store.create("contact", ["name": t("张伟"), "company": i(company.id)])
        e = try #require(kernelError { try s.store.delete("company", company.id) })
        #expect(e.kind == .conflict)
        #expect(e.message.contains("contact"))
        #expect(try s.store.get("company", company.id) != nil)
        try s.store.delete("contact", contact.id)
        try s.store.delete("company", company.id)
        #expect(try s.store.get("company", company.id) == nil)
    }

    @Test func updateWritesOnlyChangesAndStampsTheUser() throws {
        let s = try TestStore()
        let alice = try s.makeUser("alice")
        let bob = try s.makeUser("bob")
        let r = try s.store.create("company", ["name": t("A"), "city": t("北京")], as: alice)
        #expect(r["owner"] == i(alice.id!))
        #expect(r["created_by"] == i(alice.id!))
        #expect(r["updated_by"] == i(alice.id!))
        let u = try s.store.update("company", r.id, ["city": t("上海")], as: bob)
        #expect(u["city"] == t("上海"))
        #expect(u["name"] == t("A"))
        let got = try #require(try s.store.get("company", r.id))
        #expect(got["city"] == t("上海"))
        #expect(got["owner"] == i(alice.id!))
        #expect(got["created_by"] == i(alice.id!))
        #expect(got["updated_by"] == i(bob.id!))
        let same = try s.store.update("company", r.id, ["city": t("上海")], as: alice)
        #expect(same["updated_by"] == i(bob.id!))
        #expect(try s.store.history("company", r.id).count == 2)
        #expect(kernelError { try s.store.update("company", 999, ["city": t("x")]) }?.kind == .notFound)
        #expect(kernelError { try s.store.delete("company", 999) }?.kind == .notFound)
    }

    @Test func usersAndTeamsAreRecordsWithRules() throws {
        let s = try TestStore()
        let team = try s.store.create("team", ["name": t("华南销售")])
        let user = try s.store.create("user", ["name": t("zhang.wei"), "display_name": t("张伟"), "role": t("sales_manager"), "team": i(team.id)])
        #expect(user["active"] == .bool(true))
        #expect(user["owner"] == .null)
        #expect(kernelError { try s.store.create("user", ["name": t("zhang.wei"), "role": t("admin")]) }?.fieldErrors.map(\.field) == ["name"])
        #expect(kernelError { try s.store.create("user", ["name": t("bad name"), "role": t("admin")]) }?.fieldErrors.map(\.field) == ["name"])
        #expect(kernelError { try s.store.create("user", ["name": t("x"), "role": t("boss")]) }?.fieldErrors.map(\.field) == ["role"])
        #expect(kernelError { try s.store.create("user", ["name": t("y")]) }?.fieldErrors.map(\.field) == ["role"])
        #expect(kernelError { try s.store.create("team", ["name": t("华南销售")]) }?.fieldErrors.map(\.field) == ["name"])
        #expect(kernelError { try s.store.delete("team", team.id) }?.kind == .conflict)
    }

    @Test func aRecordOwnedByAUserKeepsTheUserFromBeingDeleted() throws {
        let s = try TestStore()
        let alice = try s.makeUser("alice")
        _ = try s.store.create("company", ["name": t("A")], as: alice)
        let e = try #require(kernelError { try s.store.delete("user", alice.id!) })
        #expect(e.kind == .conflict)
        #expect(e.message.contains("owner"))
    }
}
