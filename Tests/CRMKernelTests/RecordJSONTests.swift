import Foundation
import GRDB
import Testing
@testable import CRMKernel

/// `RecordStore.json` writes a row straight to the JSON the API sends: byte for byte what the
/// record read with `get` and written field by field gives (the API's `JSONWriter.record`),
/// for every field type, for stored forms the store never writes itself, and under access rules.
struct RecordJSONTests {
    /// The fixture with a secret field on `company` and a rep who sees only their own companies
    /// and not `city`.
    static func store() throws -> TestStore {
        var decls = Fixture.declarations(editingCompany: { c in
            c.fields.append(FieldDefinition("api_key", .text, label: LocalizedText("密钥"), secret: true))
        })
        decls.roles = [RoleDefinition(id: "sales_rep", label: LocalizedText("销售"),
                                      grants: ["company": [.read, .create, .update]], hidden: ["company": ["city"]]),
                       RoleDefinition(id: "admin", label: LocalizedText("管理员"), grants: ["*": [.admin]])]
        return try TestStore(decls)
    }

    /// The JSON the read path wrote before `RecordStore.json`: the decoded record, `id` first,
    /// then every field in order without the hidden ones (as `JSONWriter.record`).
    static func decodedJSON(_ store: RecordStore, _ entity: String, _ id: Int64, as access: AccessGuard?) throws -> String? {
        guard let record = try store.get(entity, id, as: access) else { return nil }
        let schema = try store.schema.entity(entity)
        let hidden = access?.hiddenFields(entity) ?? []
        var bytes = Array("{\"id\":".utf8)
        JSONBytes.appendInteger(record.id, to: &bytes)
        for f in schema.fields where f.name != "id" && !hidden.contains(f.name) {
            bytes += Array(",\"\(f.name)\":".utf8)
            JSONBytes.append(record[f.name], to: &bytes)
        }
        bytes.append(0x7D)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func expectSame(_ store: RecordStore, _ id: Int64, as access: AccessGuard?, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let old = try decodedJSON(store, "company", id, as: access)
        let new = try store.json("company", id, as: access)
        #expect(new.map { String(decoding: $0.bytes, as: UTF8.self) } == old, sourceLocation: sourceLocation)
        let version = try store.get("company", id, as: access)?["version"]
        #expect(new?.version.map(Value.integer) == (version == .null ? nil : version), sourceLocation: sourceLocation)
    }

    @Test func everyFieldTypeIsWrittenAsTheDecodedRecordWouldBe() throws {
        let s = try Self.store()
        let rep = try s.makeUser("rep")
        let repGuard = try s.store.read { try AccessGuard(user: rep, schema: $0.schema, reader: $0) }
        let admin = try s.store.read { try AccessGuard(user: ActingUser(id: 1, name: "boss", role: "admin"), schema: $0.schema, reader: $0) }
        let parent = try s.store.create("company", ["name": t("母公司"), "owner": i(rep.id!)])
        let full: [String: Value] = [
            "name": t("深圳\"前海\"\\科技"), "code": t("ABC-12"), "notes": t("第一行\n第二行\t制表\r回车"),
            "employees": i(250), "rating": d("4.5"), "revenue": d("1234567.89"), "active": .bool(false),
            "founded": t("2019-03-01"), "contacted_at": .datetime(Date(timeIntervalSince1970: 1_795_000_000)),
            "stage": t("won"), "industries": .list(["it", "energy"]), "parent": i(parent.id), "manager": i(rep.id!),
            "phone": t("13800138000"), "email": t("a@例子.cn"), "website": t("https://example.cn/?q=\"x\""),
            "tags": .list(["重点", "含\"引号\"", "反\\斜杠", "换\n行", ""]), "city": t("广州"), "api_key": t("s3cret"),
            "owner": i(rep.id!),
        ]
        var ids = [parent.id, try s.store.create("company", full).id]
        for (n, revenue) in ["0", "0.05", "-0.05", "1.20", "-1234.5", "100", "99999999.99", "-12345678.9"].enumerated() {
            ids.append(try s.store.create("company", ["name": t("公司\(n)"), "revenue": d(revenue), "rating": d(n % 2 == 0 ? "0" : "2.0"),
                                                      "industries": .list([]), "tags": .list(["一"]), "active": .bool(true)]).id)
        }
        let nulls = try s.store.create("company", ["name": t("空")]).id
        try s.store.update("company", nulls, ["active": .null, "stage": .null])
        ids.append(nulls)
        for id in ids {
            for access in [nil, admin, repGuard] as [AccessGuard?] { try Self.expectSame(s.store, id, as: access) }
        }
        // The rep sees neither the secret nor the hidden city; others' companies not at all.
        let seen = try #require(try s.store.json("company", ids[1], as: repGuard))
        let text = String(decoding: seen.bytes, as: UTF8.self)
        #expect(!text.contains("api_key") && !text.contains("\"city\"") && text.contains("\"tags\":[\"重点\""))
        #expect(try s.store.json("company", ids[2], as: repGuard) == nil)
        #expect(try s.store.json("company", 999_999, as: admin) == nil)
        #expect(!String(decoding: try #require(try s.store.json("company", ids[1], as: admin)).bytes, as: UTF8.self).contains("s3cret"))
    }

    /// `findJSON` pages as `find` does: the same records in the same order, each as `json`
    /// writes it, the same cursors, under every access rule, with and without a filter.
    @Test func findJSONWritesEachPageAsFindReadsIt() throws {
        let s = try Self.store()
        let rep = try s.makeUser("rep")
        let repGuard = try s.store.read { try AccessGuard(user: rep, schema: $0.schema, reader: $0) }
        let admin = try s.store.read { try AccessGuard(user: ActingUser(id: 1, name: "boss", role: "admin"), schema: $0.schema, reader: $0) }
        for n in 0..<23 {
            _ = try s.store.create("company", ["name": t("公司\(n)"), "revenue": d(n % 3 == 0 ? "12.5" : "-0.05"), "city": t(n % 2 == 0 ? "深圳" : "广州"),
                                               "tags": .list(n % 4 == 0 ? ["重点"] : []), "api_key": t("k\(n)"), "stage": t(n % 5 == 0 ? "won" : "lead"),
                                               "owner": n % 3 == 1 ? .null : i(rep.id!)])
        }
        let queries: [Query] = [
            Query("company", limit: 5),
            Query("company", sort: [SortKey("id", descending: true)], limit: 4),
            Query("company", filter: .eq("stage", t("lead")), sort: [SortKey("revenue"), SortKey("name", descending: true)], limit: 3),
            Query("company", filter: .eq("tags", t("重点")), limit: 2),
            Query("company", filter: .eq("stage", t("nothing")), limit: 10),
            Query("company", limit: 0),
            Query("company"),
        ]
        for access in [nil, admin, repGuard] as [AccessGuard?] {
            for query in queries {
                var q = query, pages = 0
                while true {
                    let page = try s.store.find(q, as: access)
                    let written = try s.store.findJSON(q, as: access)
                    var expected = "["
                    for (n, r) in page.records.enumerated() {
                        if n > 0 { expected += "," }
                        expected += try #require(try Self.decodedJSON(s.store, "company", r.id, as: access))
                    }
                    expected += "]"
                    #expect(String(decoding: written.bytes, as: UTF8.self) == expected, "\(q) as \(access?.user.name ?? "system")")
                    #expect(written.nextCursor == page.nextCursor)
                    pages += 1
                    guard let next = page.nextCursor, pages < 20 else { break }
                    q.after = next
                }
            }
        }
        let repPage = String(decoding: try s.store.findJSON(Query("company"), as: repGuard).bytes, as: UTF8.self)
        #expect(!repPage.contains("api_key") && !repPage.contains("\"city\"") && repPage.contains("公司0"))
        #expect(!repPage.contains("\"公司1\""), "a company the rep does not own")
    }

    @Test func storedFormsTheStoreNeverWritesAreDecodedAsBefore() throws {
        let s = try Self.store()
        let id = try s.store.create("company", ["name": t("甲")]).id
        let odd: [(String, DatabaseValue)] = [
            ("contacted_at", "2026-11-22T08:30:00+08:00".databaseValue), ("contacted_at", "2026-11-22T08:30:00.000Z".databaseValue),
            ("contacted_at", "2026-02-30T00:00:00Z".databaseValue), ("contacted_at", "1850-01-01T00:00:00Z".databaseValue),
            ("contacted_at", "not a date".databaseValue), ("contacted_at", "2024-02-29T23:59:59Z".databaseValue),
            ("contacted_at", "2023-02-29T00:00:00Z".databaseValue), ("contacted_at", 12.5.databaseValue),
            ("tags", #"[ "a" , "b" ]"#.databaseValue), ("tags", #"["a\"b","c\u0041"]"#.databaseValue), ("tags", "[1,\"x\",null]".databaseValue),
            ("tags", "not json".databaseValue), ("tags", "[\"a\",]".databaseValue), ("tags", "[\"a\"".databaseValue),
            ("tags", "[]".databaseValue), ("tags", "[\"\"]".databaseValue), ("tags", "[\"\",\"]\"]".databaseValue), ("tags", 7.databaseValue),
            ("industries", "[\"it\"]".databaseValue), ("revenue", "12.5".databaseValue), ("revenue", 3.25.databaseValue),
            ("employees", "many".databaseValue), ("active", 2.databaseValue), ("name", 42.databaseValue),
            ("notes", Data([0x61, 0x00, 0x62]).databaseValue), ("notes", "中\u{7F}文".databaseValue), ("notes", "控制\u{01}字符\u{1F}".databaseValue),
            ("tags", "[\"控制\u{01}\"]".databaseValue), ("tags", #"["\u0001"]"#.databaseValue),
            ("rating", Int64.min.databaseValue), ("revenue", Int64.max.databaseValue), ("revenue", (-1).databaseValue),
        ]
        for (column, value) in odd {
            try s.store.pool.write { db in
                try db.execute(sql: "UPDATE \(SQL.quote("e_company")) SET \(SQL.quote(column)) = ? WHERE id = ?", arguments: [value, id])
            }
            try Self.expectSame(s.store, id, as: nil)
        }
        // Text with bytes that are not UTF-8, and a NUL inside text (GRDB reads up to it).
        for raw in [[0x5B, 0x22, 0xFF, 0x22, 0x5D], [0x5B, 0x22, 0x61, 0x00, 0x62, 0x22, 0x5D], [0xE4, 0xB8, 0x22]] as [[UInt8]] {
            try s.store.pool.write { db in
                for column in ["tags", "notes", "contacted_at"] {
                    try db.execute(sql: "UPDATE e_company SET \(SQL.quote(column)) = CAST(? AS TEXT) WHERE id = ?", arguments: [Data(raw), id])
                }
            }
            try Self.expectSame(s.store, id, as: nil)
        }
    }

    @Test func stringsAreEscapedSoFoundationReadsThemBack() throws {
        var texts = ["", "a", "深圳华信科技有限公司", "\"", "\\", "a\"b\\c", "line\nbreak\r\ttab", "\u{0}\u{1}\u{1F}", "末尾\"",
                     "\"开头", "😀 and \u{7F} and \u{2028}", String(repeating: "长文本", count: 200) + "\n"]
        for _ in 0..<300 {
            let scalars = (0..<Int.random(in: 0...40)).map { _ in
                [Unicode.Scalar(UInt8.random(in: 0...0x7F)), Unicode.Scalar(UInt32.random(in: 0x4E00...0x9FFF))!, "\""].randomElement()!
            }
            texts.append(String(String.UnicodeScalarView(scalars)))
        }
        for text in texts {
            var bytes: [UInt8] = []
            JSONBytes.appendString(text, to: &bytes)
            #expect(!bytes.contains { $0 < 0x20 }, "no raw control character in \(text.debugDescription)")
            let read = try JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed) as? String
            #expect(read == text, "\(text.debugDescription)")
        }
    }

    @Test func scaledDecimalsAreWrittenAsPlainStringWritesThem() {
        var values: [Int64] = [0, 1, -1, 5, 10, 100, 120, 1000, 1005, -1005, 123_456, Int64.max, Int64.min, Int64.min + 1]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let magnitude = Int64.random(in: 0...Int64.max, using: &generator) >> Int64.random(in: 0...62, using: &generator)
            values.append(Bool.random(using: &generator) ? magnitude : -magnitude)
            values.append(Int64.random(in: -100...100, using: &generator) * [1, 10, 100, 1000].randomElement(using: &generator)!)
        }
        for value in values {
            for scale in [0, 1, 2, 4, 6] {
                var bytes: [UInt8] = []
                JSONBytes.appendScaledDecimal(value, scale: scale, to: &bytes)
                var expected: [UInt8] = []
                JSONBytes.appendString(ValueCodec.unscaled(value, scale).plainString, to: &expected)
                #expect(bytes == expected, "\(value) at scale \(scale)")
            }
        }
    }

    @Test func canonicalInstantsComeBackUnchangedAndAreReadAsFoundationReadsThem() {
        var texts = ["2026-11-22T08:30:00Z", "1900-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2000-02-29T12:00:00Z",
                     "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T08:60:00Z",
                     "2026-11-22T08:30:60Z", "2026-11-22t08:30:00Z", "2026-11-22T08:30:00z", "1899-12-31T23:59:59Z"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let seconds = Double(Int64.random(in: -2_208_988_800...253_402_300_799, using: &generator))
            texts.append(DateCoding.iso(Date(timeIntervalSince1970: seconds)))
        }
        for text in texts {
            let canonical = Array(text.utf8).withUnsafeBufferPointer(JSONBytes.isCanonicalInstant)
            if canonical { #expect(DateCoding.parseInstant(text).map(DateCoding.iso) == text, "\(text)") }
        }
        for text in texts {
            let fast = Array(text.utf8).withUnsafeBufferPointer(JSONBytes.canonicalInstant)
            if let fast { #expect(fast == DateCoding.parseInstant(text), "\(text)") }
        }
        #expect(Array("2026-11-22T08:30:00Z".utf8).withUnsafeBufferPointer(JSONBytes.isCanonicalInstant))
        #expect(!Array("2026-02-30T00:00:00Z".utf8).withUnsafeBufferPointer(JSONBytes.isCanonicalInstant))
    }
}
