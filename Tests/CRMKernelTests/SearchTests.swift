import Foundation
import Testing
@testable import CRMKernel

struct SearchTests {
    private func seeded() throws -> (TestStore, [String: Int64]) {
        let s = try TestStore()
        var ids: [String: Int64] = [:]
        for (key, values) in [
            ("zhang", ["name": t("张伟科技有限公司"), "city": t("北京")]),
            ("huaxin", ["name": t("深圳华信电子"), "city": t("深圳"), "tags": .list(["重点客户"])]),
            ("school", ["name": t("北京科技大学"), "city": t("北京")]),
            ("acme", ["name": t("Acme Corporation"), "city": t("Shanghai"), "tags": .list(["VIP"])]),
            ("wei", ["name": t("小伟商贸"), "city": t("广州")]),
        ] as [(String, [String: Value])] {
            ids[key] = try s.store.create("company", values).id
        }
        return (s, ids)
    }

    private func found(_ s: TestStore, _ text: String, filter: Filter? = nil) throws -> Set<Int64> {
        Set(try s.store.find(Query("company", filter: filter, search: text)).records.map(\.id))
    }

    @Test func chineseSubstringsOfOneToFourCharactersMatch() throws {
        let (s, ids) = try seeded()
        #expect(try found(s, "张") == [ids["zhang"]!])
        #expect(try found(s, "伟") == [ids["zhang"]!, ids["wei"]!])
        #expect(try found(s, "信") == [ids["huaxin"]!])
        #expect(try found(s, "张伟") == [ids["zhang"]!])
        #expect(try found(s, "科技") == [ids["zhang"]!, ids["school"]!])
        #expect(try found(s, "华信电") == [ids["huaxin"]!])
        #expect(try found(s, "深圳华信") == [ids["huaxin"]!])
        #expect(try found(s, "伟科技有") == [ids["zhang"]!])
        #expect(try found(s, "有限公司") == [ids["zhang"]!])
        #expect(try found(s, "重点客户") == [ids["huaxin"]!])
    }

    @Test func charactersThatAreNotASubstringDoNotMatch() throws {
        let (s, _) = try seeded()
        for text in ["张科", "伟华", "科大", "信深", "华信科技", "京北", "深圳北京", "张伟大学"] {
            #expect(try found(s, text).isEmpty, "'\(text)' matched")
        }
        #expect(try found(s, "北京").count == 2)
    }

    @Test func latinWordsMatchByCaseInsensitivePrefix() throws {
        let (s, ids) = try seeded()
        #expect(try found(s, "acm") == [ids["acme"]!])
        #expect(try found(s, "ACME") == [ids["acme"]!])
        #expect(try found(s, "corp") == [ids["acme"]!])
        #expect(try found(s, "vip") == [ids["acme"]!])
        #expect(try found(s, "shang") == [ids["acme"]!])
        #expect(try found(s, "cme").isEmpty)
        #expect(try found(s, "orporation").isEmpty)
        #expect(try found(s, "acmex").isEmpty)
    }

    @Test func severalTermsMustAllMatchAndCombineWithFilters() throws {
        let (s, ids) = try seeded()
        #expect(try found(s, "科技 北京") == [ids["zhang"]!, ids["school"]!])
        #expect(try found(s, "科技 大学") == [ids["school"]!])
        #expect(try found(s, "acme 深圳").isEmpty)
        #expect(try found(s, "科技", filter: .eq("name", t("北京科技大学"))) == [ids["school"]!])
        #expect(try found(s, "\"张伟\" OR *").isEmpty)
        #expect(try s.store.count("company", search: "科技") == 2)
        #expect(try s.store.find(Query("company", search: "   ")).records.count == 5)
    }

    @Test func searchResultsPageInIdOrderBothWaysAndWithOtherSorts() throws {
        let s = try TestStore()
        var ids: [Int64] = []
        for i in 0..<7 {
            ids.append(try s.store.create("company", ["name": t("华信\(i)号"), "city": t(i % 2 == 0 ? "深圳" : "北京")]).id)
        }
        _ = try s.store.create("company", ["name": t("无关公司")])
        func pages(_ sort: [SortKey], filter: Filter? = nil) throws -> [Int64] {
            var out: [Int64] = [], after: String? = nil
            repeat {
                let page = try s.store.find(Query("company", filter: filter, search: "华信", sort: sort, limit: 2, after: after))
                out += page.records.map(\.id)
                after = page.nextCursor
            } while after != nil
            return out
        }
        #expect(try pages([]) == ids)
        #expect(try pages([SortKey("id", descending: true)]) == ids.reversed())
        #expect(try pages([], filter: .eq("city", t("深圳"))) == [ids[0], ids[2], ids[4], ids[6]])
        #expect(try pages([SortKey("city"), SortKey("id", descending: true)]) == [ids[5], ids[3], ids[1], ids[6], ids[4], ids[2], ids[0]])
    }

    @Test func updatesAndDeletesKeepTheIndexRight() throws {
        let (s, ids) = try seeded()
        try s.store.update("company", ids["zhang"]!, ["name": t("李娜贸易")])
        #expect(try found(s, "张伟").isEmpty)
        #expect(try found(s, "科技") == [ids["school"]!])
        #expect(try found(s, "娜贸") == [ids["zhang"]!])
        try s.store.update("company", ids["zhang"]!, ["employees": i(5)])
        #expect(try found(s, "李娜") == [ids["zhang"]!])
        try s.store.update("company", ids["acme"]!, ["tags": .null, "city": t("杭州")])
        #expect(try found(s, "vip").isEmpty)
        #expect(try found(s, "杭州") == [ids["acme"]!])
        #expect(try found(s, "shanghai").isEmpty)
        try s.store.delete("company", ids["huaxin"]!)
        #expect(try found(s, "华信").isEmpty)
        #expect(try found(s, "深圳").isEmpty)
        let again = try s.store.create("company", ["name": t("深圳华信电子")])
        #expect(try found(s, "华信") == [again.id])
    }

    @Test func aRolledBackWriteLeavesTheIndexAlone() throws {
        let (s, ids) = try seeded()
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try s.store.write(as: .system) { tx -> Void in
                try tx.update("company", ids["zhang"]!, ["name": t("王芳")])
                try tx.create("company", ["name": t("临时公司")])
                throw Boom()
            }
        }
        #expect(try found(s, "张伟") == [ids["zhang"]!])
        #expect(try found(s, "王芳").isEmpty)
        #expect(try found(s, "临时").isEmpty)
    }

    @Test func makingAFieldSearchableIndexesExistingRecords() throws {
        let (s, ids) = try seeded()
        _ = try s.store.update("company", ids["wei"]!, ["notes": t("长期合作伙伴")])
        #expect(try found(s, "合作").isEmpty)
        try s.configure(Fixture.declarations(editingCompany: { c in
            c.replaceField("notes", with: FieldDefinition("notes", .longText, label: LocalizedText("备注"), searchable: true))
            c.replaceField("city", with: FieldDefinition("city", .text, label: LocalizedText("城市")))
        }))
        #expect(try found(s, "合作") == [ids["wei"]!])
        #expect(try found(s, "张伟") == [ids["zhang"]!])
        #expect(try found(s, "广州").isEmpty)
    }

    @Test func searchingAnEntityWithoutSearchableFieldsIsAValidationError() throws {
        let s = try TestStore()
        let e = try #require(kernelError { _ = try s.store.find(Query("contact", search: "张")) })
        #expect(e.kind == .validation)
        #expect(e.entity == "contact")
    }

    @Test func utf8BytesEncodeEveryScalarAsStringDoes() {
        for text in ["", "a", "é", "Ω", "张伟", "€", "\u{FFFF}", "😀", "𝔸b", "mixed é张😀 text"] {
            var bytes = UTF8Bytes(capacity: 0)
            bytes.append(contentsOf: text.unicodeScalars)
            #expect(bytes.string == text && Array(bytes.string.utf8) == Array(text.utf8))
            #expect(bytes.isEmpty == text.isEmpty)
        }
    }

    @Test func tokenizerIndexesBigramsAndWords() {
        #expect(SearchTokenizer.indexText("张伟科技") == "张伟 伟科 科技 技 ")
        #expect(SearchTokenizer.indexText("Acme科技-2024") == "acme 科技 技 2024")
        #expect(SearchTokenizer.indexText("张") == "张 ")
        #expect(SearchTokenizer.indexText("ÉCOLE Ωmega𝔸 😀张") == "école ωmega𝔸 张 ", "two-, three- and four-byte scalars")
        #expect(SearchTokenizer.matchExpression("张伟") == "\"张伟\"")
        #expect(SearchTokenizer.matchExpression("深圳华信") == "\"深圳 圳华 华信\"")
        #expect(SearchTokenizer.matchExpression("张") == "\"张\" *")
        #expect(SearchTokenizer.matchExpression("Acme 科技") == "\"acme\" * AND \"科技\"")
        #expect(SearchTokenizer.matchExpression("!!! ...") == nil)
    }
}
