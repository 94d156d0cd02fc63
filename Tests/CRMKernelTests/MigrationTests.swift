import Foundation
import GRDB
import Testing
@testable import CRMKernel

struct MigrationTests {
    private func edited(_ edit: (inout EntityDefinition) -> Void) -> SchemaDeclarations {
        Fixture.declarations(editingCompany: edit)
    }

    private func hidden(_ s: TestStore, _ entity: String, _ field: String) throws -> Bool? {
        try s.store.pool.read { db in try Bool.fetchOne(db, sql: "SELECT hidden FROM _schema_field WHERE entity = ? AND name = ?", arguments: [entity, field]) }
    }

    @Test func aNewEntityBecomesATableWithItsSystemColumns() throws {
        let s = try TestStore()
        #expect(try s.columns("company") == ["id"] + Fixture.company.fields.map(\.name) + ["owner", "created_at", "updated_at", "created_by", "updated_by", "version"])
        #expect(try s.columns("contact").contains("company"))
        let indexes = try s.store.pool.read { db in try db.indexes(on: "e_company").map(\.name) }
        #expect(indexes.contains("ux_7_company_code"))
        #expect(indexes.contains("ix_7_company_employees"))
        #expect(indexes.contains("ix_7_company_parent"))
        #expect(indexes.contains("ix_7_company_owner"))
    }

    @Test func aNewFieldBecomesAColumnAndExistingRecordsKeepTheirValues() throws {
        let s = try TestStore()
        let a = try s.store.create("company", ["name": t("A"), "city": t("北京")])
        try s.configure(edited { $0.fields.append(FieldDefinition("region", .choice, label: LocalizedText("区域"), options: [ChoiceOption("north"), ChoiceOption("south")])) })
        #expect(try s.columns("company").contains("region"))
        #expect(try s.store.get("company", a.id)?["region"] == .null)
        #expect(try s.store.get("company", a.id)?["city"] == t("北京"))
        try s.store.update("company", a.id, ["region": t("north")])
        #expect(try s.store.get("company", a.id)?["region"] == t("north"))
        #expect(kernelError { try s.store.update("company", a.id, ["region": t("west")]) }?.fieldErrors.map(\.field) == ["region"])
    }

    @Test func aRemovedFieldIsHiddenKeepsItsDataAndComesBackWhenRedeclared() throws {
        let s = try TestStore()
        let a = try s.store.create("company", ["name": t("A"), "city": t("北京"), "employees": i(7)])
        try s.configure(edited { $0.removeField("city") })
        #expect(try hidden(s, "company", "city") == true)
        #expect(try s.columns("company").contains("city"))
        #expect(try s.store.get("company", a.id)?["city"] == .null)
        #expect(try s.store.get("company", a.id)?.values["city"] == nil)
        #expect(kernelError { try s.store.create("company", ["name": t("B"), "city": t("x")]) }?.fieldErrors.map(\.field) == ["city"])
        #expect(kernelError { _ = try s.store.find(Query("company", filter: .eq("city", t("北京")))) }?.fieldErrors.map(\.field) == ["city"])
        try s.store.update("company", a.id, ["employees": i(8)])
        try s.configure(Fixture.declarations)
        #expect(try hidden(s, "company", "city") == false)
        #expect(try s.store.get("company", a.id)?["city"] == t("北京"))
        #expect(try s.store.get("company", a.id)?["employees"] == i(8))
        #expect(try s.store.count("company", search: "北京") == 1)
    }

    @Test func aRemovedEntityIsHiddenAndComesBackWithItsData() throws {
        let s = try TestStore()
        let a = try s.store.create("company", ["name": t("华信")])
        try s.configure(SchemaDeclarations())
        #expect(kernelError { _ = try s.store.get("company", a.id) }?.kind == .notFound)
        let hiddenEntity = try s.store.pool.read { db in try Bool.fetchOne(db, sql: "SELECT hidden FROM _schema_entity WHERE name = 'company'") }
        #expect(hiddenEntity == true)
        try s.configure(Fixture.declarations)
        #expect(try s.store.get("company", a.id)?["name"] == t("华信"))
        #expect(try s.store.count("company", search: "华信") == 1)
    }

    @Test func anIncompatibleTypeChangeWithDataIsRefusedNamingEntityFieldAndWhy() throws {
        let s = try TestStore()
        _ = try s.store.create("company", ["name": t("A"), "city": t("北京")])
        _ = try s.store.create("company", ["name": t("B"), "city": t("上海")])
        let e = try #require(kernelError {
            try s.configure(edited {
                $0.fields.append(FieldDefinition("region", .text, label: LocalizedText("区域")))
                $0.replaceField("city", with: FieldDefinition("city", .integer, label: LocalizedText("城市")))
            })
        })
        #expect(e.kind == .conflict)
        #expect(e.entity == "company")
        #expect(e.fieldErrors.map(\.field) == ["city"])
        #expect(e.message.contains("company.city"))
        #expect(e.message.contains("from text to integer"))
        #expect(e.message.contains("2 records"))
        #expect(try s.store.schema.entity("company").fieldsByName["city"]?.type == .text)
        #expect(try !s.columns("company").contains("region"))
        #expect(try s.store.find(Query("company", filter: .eq("city", t("北京")))).records.count == 1)

        let money = try #require(kernelError { try s.configure(edited { $0.replaceField("city", with: FieldDefinition("city", .money, label: LocalizedText("x"))) }) })
        #expect(money.fieldErrors.map(\.field) == ["city"])
    }

    @Test func integerToMoneyConvertsTheStoredValues() throws {
        let s = try TestStore()
        let a = try s.store.create("company", ["name": t("A"), "employees": i(12)])
        let b = try s.store.create("company", ["name": t("B")])
        try s.configure(edited { $0.replaceField("employees", with: FieldDefinition("employees", .money, label: LocalizedText("员工"))) })
        #expect(try s.store.get("company", a.id)?["employees"] == d("12"))
        #expect(try s.store.get("company", b.id)?["employees"] == .null)
        try s.store.update("company", b.id, ["employees": d("0.55")])
        #expect(try s.store.aggregate("company", measures: [.sum("employees")])[0].values == [d("12.55")])

        try s.configure(edited { $0.replaceField("employees", with: FieldDefinition("employees", .money, label: LocalizedText("员工"), scale: 4)) })
        #expect(try s.store.get("company", b.id)?["employees"] == d("0.55"))
        let back = try #require(kernelError { try s.configure(edited { $0.replaceField("employees", with: FieldDefinition("employees", .money, label: LocalizedText("员工"))) }) })
        #expect(back.kind == .conflict)
        #expect(back.message.contains("scale 4"))
        let toInt = try #require(kernelError { try s.configure(Fixture.declarations) })
        #expect(toInt.fieldErrors.map(\.field) == ["employees"])
        #expect(try s.store.get("company", a.id)?["employees"] == d("12"))
    }

    @Test func typeChangesWithoutDataOrBetweenCompatibleTypesAreAllowed() throws {
        let s = try TestStore()
        let a = try s.store.create("company", ["name": t("A"), "city": t("北京"), "tags": .list(["x"])])
        try s.configure(edited {
            $0.replaceField("city", with: FieldDefinition("city", .longText, label: LocalizedText("城市")))
            $0.replaceField("tags", with: FieldDefinition("tags", .multiChoice, label: LocalizedText("标签"), options: [ChoiceOption("x"), ChoiceOption("y")]))
            $0.replaceField("rating", with: FieldDefinition("rating", .text, label: LocalizedText("评分")))
        })
        #expect(try s.store.get("company", a.id)?["city"] == t("北京"))
        #expect(try s.store.get("company", a.id)?["tags"] == .list(["x"]))
    }

    @Test func removingAChoiceOptionStillInUseIsRefused() throws {
        let s = try TestStore()
        _ = try s.store.create("company", ["name": t("A"), "stage": t("won"), "industries": .list(["retail"])])
        let e = try #require(kernelError { try s.configure(edited { $0.replaceField("stage", with: .choice("stage", label: LocalizedText("阶段"), ["lead", "lost"])) }) })
        #expect(e.kind == .conflict)
        #expect(e.entity == "company")
        #expect(e.fieldErrors.map(\.field) == ["stage"])
        #expect(e.message.contains("'won'"))
        let multi = try #require(kernelError { try s.configure(edited { $0.replaceField("industries", with: .choice("industries", label: LocalizedText("行业"), ["it"], multiple: true)) }) })
        #expect(multi.fieldErrors.map(\.field) == ["industries"])
        #expect(multi.message.contains("'retail'"))
        try s.configure(edited { $0.replaceField("stage", with: .choice("stage", label: LocalizedText("阶段"), ["lead", "won", "qualified"])) })
        #expect(try s.store.schema.entity("company").fieldsByName["stage"]?.options.map(\.value) == ["lead", "won", "qualified"])
        let cityChoice = try #require(kernelError {
            _ = try s.store.create("company", ["name": t("B"), "city": t("北京")])
            try s.configure(edited { $0.replaceField("city", with: .choice("city", label: LocalizedText("城市"), ["上海"])) })
        })
        #expect(cityChoice.fieldErrors.map(\.field) == ["city"])
    }

    @Test func addingUniqueWhenDuplicatesExistIsRefused() throws {
        let s = try TestStore()
        _ = try s.store.create("company", ["name": t("A"), "city": t("北京")])
        _ = try s.store.create("company", ["name": t("B"), "city": t("北京")])
        _ = try s.store.create("company", ["name": t("C"), "city": t("")])
        _ = try s.store.create("company", ["name": t("D"), "city": t("")])
        let uniqueCity = edited { $0.replaceField("city", with: FieldDefinition("city", .text, label: LocalizedText("城市"), unique: true)) }
        let e = try #require(kernelError { try s.configure(uniqueCity) })
        #expect(e.kind == .conflict)
        #expect(e.entity == "company")
        #expect(e.fieldErrors.map(\.field) == ["city"])
        #expect(e.message.contains("北京"))
        try s.store.update("company", 2, ["city": t("上海")])
        try s.configure(uniqueCity)
        #expect(kernelError { try s.store.create("company", ["name": t("E"), "city": t("上海")]) }?.fieldErrors.map(\.field) == ["city"])
        _ = try s.store.create("company", ["name": t("F"), "city": t("")])
    }

    @Test func droppingUniqueAllowsDuplicatesAgain() throws {
        let s = try TestStore()
        _ = try s.store.create("company", ["name": t("A"), "code": t("ABC-1")])
        try s.configure(edited { $0.replaceField("code", with: FieldDefinition("code", .text, label: LocalizedText("编码"))) })
        let b = try s.store.create("company", ["name": t("B"), "code": t("ABC-1")])
        #expect(try s.store.get("company", b.id)?["code"] == t("ABC-1"))
        #expect(try s.store.count("company", filter: .eq("code", t("ABC-1"))) == 2)
    }

    @Test func checkMigrationReportsWithoutApplying() throws {
        let s = try TestStore()
        _ = try s.store.create("company", ["name": t("A"), "city": t("北京")])
        try s.store.checkMigration(try SchemaBuilder.build([KernelEntities.declarations, edited { $0.fields.append(FieldDefinition("region", .text, label: LocalizedText("区域"))) }]))
        #expect(try !s.columns("company").contains("region"))
        let bad = try SchemaBuilder.build([KernelEntities.declarations, edited { $0.replaceField("city", with: FieldDefinition("city", .integer, label: LocalizedText("x"))) }])
        #expect(kernelError { try s.store.checkMigration(bad) }?.kind == .conflict)
    }
}
