import Foundation
import Testing
@testable import CRMKernel

struct SchemaTests {
    private func build(_ decls: SchemaDeclarations...) throws -> Schema {
        try SchemaBuilder.build([KernelEntities.declarations] + decls)
    }

    private func buildError(_ decls: SchemaDeclarations...) -> KernelError? {
        do {
            _ = try SchemaBuilder.build([KernelEntities.declarations] + decls)
            Issue.record("schema built although it should not")
            return nil
        } catch { return error }
    }

    @Test func systemFieldsAreAddedAroundTheDeclaredOnes() throws {
        let schema = try build(Fixture.declarations)
        let company = try schema.entity("company")
        let names = company.fields.map(\.name)
        #expect(names.first == "id")
        #expect(Array(names.suffix(6)) == ["owner", "created_at", "updated_at", "created_by", "updated_by", "version"])
        #expect(Array(names.dropFirst().prefix(Fixture.company.fields.count)) == Fixture.company.fields.map(\.name))
        #expect(company.fieldsByName["id"]?.system == true)
        #expect(company.fieldsByName["created_at"]?.system == true)
        #expect(company.fieldsByName["owner"]?.system == false)
        #expect(company.fieldsByName["owner"]?.type == .user)
        #expect(company.fieldsByName["owner"]?.target == "user")
        #expect(company.tableName == "e_company")
        #expect(schema.entityNames == ["team", "user", "notification", "webhook", "comment", "report_template", "message", "company", "contact"])
    }

    @Test func usersAndTeamsHaveNoOwner() throws {
        let schema = try build()
        #expect(try schema.entity("user").fieldsByName["owner"] == nil)
        #expect(try schema.entity("team").fieldsByName["owner"] == nil)
        #expect(try schema.entity("user").fieldsByName["created_by"] != nil)
    }

    @Test func unknownEntityAndFieldAreTypedErrors() throws {
        let schema = try build(Fixture.declarations)
        do { _ = try schema.entity("nope"); Issue.record("no error") } catch {
            #expect(error.kind == .notFound)
            #expect(error.entity == "nope")
        }
        do { _ = try schema.entity("company").field("nope"); Issue.record("no error") } catch {
            #expect(error.kind == .validation)
            #expect(error.entity == "company")
            #expect(error.fieldErrors.map(\.field) == ["nope"])
        }
    }

    @Test func entityDeclaredTwiceIsRefusedNamingBothOrigins() throws {
        var again = Fixture.company
        again.origin = "other"
        let e = try #require(buildError(Fixture.declarations, SchemaDeclarations(entities: [again])))
        #expect(e.kind == .conflict)
        #expect(e.entity == "company")
        #expect(e.message.contains("kernel") && e.message.contains("other"))
    }

    @Test func fieldDeclaredTwiceIsRefused() throws {
        var c = Fixture.company
        c.fields.append(FieldDefinition("name", .text, label: LocalizedText("again")))
        let e = try #require(buildError(SchemaDeclarations(entities: [c])))
        #expect(e.kind == .validation)
        #expect(e.entity == "company")
        #expect(e.fieldErrors.map(\.field) == ["name"])
    }

    @Test func invalidNamesAreRefused() throws {
        for bad in ["Company", "1company", "has-dash", "", String(repeating: "a", count: 64)] {
            let e = buildError(SchemaDeclarations(entities: [EntityDefinition(bad, label: LocalizedText("x"), fields: [])]))
            #expect(e?.kind == .validation, "entity name '\(bad)'")
        }
        for bad in ["Name", "9lives", "with space", "ünï"] {
            let entity = EntityDefinition("thing", label: LocalizedText("x"), fields: [FieldDefinition(bad, .text, label: LocalizedText("x"))])
            let e = buildError(SchemaDeclarations(entities: [entity]))
            #expect(e?.fieldErrors.map(\.field) == [bad], "field name '\(bad)'")
        }
        #expect(ReservedFieldNames.isValidIdentifier(String(repeating: "a", count: 63)))
    }

    @Test func reservedSystemNamesAreRefused() throws {
        for name in ReservedFieldNames.system.sorted() {
            let entity = EntityDefinition("thing", label: LocalizedText("x"), fields: [FieldDefinition(name, .text, label: LocalizedText("x"))])
            let e = buildError(SchemaDeclarations(entities: [entity]))
            #expect(e?.fieldErrors.first?.field == name)
            #expect(e?.fieldErrors.first?.message.contains("reserved") == true)
        }
    }

    @Test func referencesMustPointAtDeclaredEntities() throws {
        let dangling = EntityDefinition("thing", label: LocalizedText("x"), fields: [
            FieldDefinition("supplier", .reference, label: LocalizedText("x"), target: "supplier"),
        ])
        let e = try #require(buildError(SchemaDeclarations(entities: [dangling])))
        #expect(e.entity == "thing")
        #expect(e.fieldErrors.map(\.field) == ["supplier"])
        #expect(e.fieldErrors[0].message.contains("supplier"))

        let untargeted = EntityDefinition("thing", label: LocalizedText("x"), fields: [
            FieldDefinition("supplier", .reference, label: LocalizedText("x")),
        ])
        #expect(buildError(SchemaDeclarations(entities: [untargeted]))?.fieldErrors.first?.message.contains("target") == true)
        #expect(FieldDefinition("boss", .user, label: LocalizedText("x")).target == "user")
    }

    @Test func invalidRulesAreRefused() throws {
        let cases: [FieldDefinition] = [
            FieldDefinition("n", .integer, label: LocalizedText("x"), min: 10, max: 1),
            FieldDefinition("p", .text, label: LocalizedText("x"), pattern: "([a-z"),
            FieldDefinition("m", .money, label: LocalizedText("x"), scale: 7),
            FieldDefinition("c", .choice, label: LocalizedText("x"), options: [ChoiceOption("a"), ChoiceOption("a")]),
        ]
        for f in cases {
            let e = buildError(SchemaDeclarations(entities: [EntityDefinition("thing", label: LocalizedText("x"), fields: [f])]))
            #expect(e?.kind == .validation)
            #expect(e?.fieldErrors.map(\.field) == [f.name])
        }
    }

    @Test func extensionsAddFieldsAndRedeclareRulesKeepingTheOrigin() throws {
        var base = Fixture.declarations
        base.entities = base.entities.map { var e = $0; e.origin = "crm_base"; e.fields = e.fields.map { var f = $0; f.origin = "crm_base"; return f }; return e }
        var region = FieldDefinition("region", .text, label: LocalizedText("区域"))
        region.origin = "script"
        var longerName = FieldDefinition("name", .longText, label: LocalizedText("全称"), required: true, maxLength: 80)
        longerName.origin = "script"
        let ext = SchemaDeclarations(extensions: [FieldExtension(entity: "company", field: region),
                                                  FieldExtension(entity: "company", field: longerName)])
        let company = try build(base, ext).entity("company")
        #expect(company.fieldsByName["region"]?.origin == "script")
        #expect(company.fieldsByName["name"]?.maxLength == 80)
        #expect(company.fieldsByName["name"]?.type == .longText)
        #expect(company.fieldsByName["name"]?.origin == "crm_base")
        let names = company.fields.map(\.name)
        #expect(names.firstIndex(of: "region")! > names.firstIndex(of: "city")!)
        #expect(names.firstIndex(of: "region")! < names.firstIndex(of: "owner")!)
    }

    @Test func extensionWithIncompatibleTypeIsRefusedNamingBothTypes() throws {
        let ext = SchemaDeclarations(extensions: [FieldExtension(entity: "company", field: FieldDefinition("employees", .text, label: LocalizedText("x")))])
        let e = try #require(buildError(Fixture.declarations, ext))
        #expect(e.entity == "company")
        #expect(e.fieldErrors.map(\.field) == ["employees"])
        #expect(e.fieldErrors[0].message.contains("integer") && e.fieldErrors[0].message.contains("text"))

        let toMoney = SchemaDeclarations(extensions: [FieldExtension(entity: "company", field: FieldDefinition("employees", .money, label: LocalizedText("x")))])
        #expect(buildError(Fixture.declarations, toMoney)?.fieldErrors.map(\.field) == ["employees"])
    }

    @Test func extensionOfAnUnknownEntityIsRefused() throws {
        let ext = SchemaDeclarations(extensions: [FieldExtension(entity: "ghost", field: FieldDefinition("x", .text, label: LocalizedText("x")))])
        let e = try #require(buildError(Fixture.declarations, ext))
        #expect(e.kind == .notFound)
        #expect(e.entity == "ghost")
    }

    @Test func storageCompatibilityOfTypes() {
        #expect(FieldType.text.isStorageCompatible(with: .choice))
        #expect(FieldType.email.isStorageCompatible(with: .longText))
        #expect(FieldType.tags.isStorageCompatible(with: .multiChoice))
        #expect(FieldType.decimal.isStorageCompatible(with: .money))
        #expect(!FieldType.integer.isStorageCompatible(with: .money))
        #expect(!FieldType.text.isStorageCompatible(with: .integer))
        #expect(!FieldType.date.isStorageCompatible(with: .datetime))
        #expect(FieldType.money.storage == .integer)
        #expect(FieldType.tags.storage == .list)
        #expect(FieldType.datetime.storage == .text)
    }

    @Test func localizedTextFallsBackToChinese() {
        let l = LocalizedText("客户", en: "Customer")
        #expect(l.text(for: "en-US") == "Customer")
        #expect(l.text(for: "zh-CN") == "客户")
        #expect(l.text(for: "fr") == "客户")
        #expect(LocalizedText("客户").en == "客户")
    }
}
