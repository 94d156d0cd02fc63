import CRMCustomers
import CRMKernel
import CRMPlugins
import Foundation
import Testing

/// A workspace with the built-in modules (no company scripts).
final class DuplicateFixture: @unchecked Sendable {
    let directory: URL
    let ws: Workspace

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("crm-plugins-\(UUID().uuidString)")
        ws = try Workspace(directory: directory, registry: try BuiltInPlugins.registry(), create: true)
    }

    deinit {
        // Closed first: its scripts' hooks hold it, which would keep its connections open on the files removed here.
        ws.close()
        try? FileManager.default.removeItem(at: directory)
    }

    var store: RecordStore { ws.store }

    /// Puts duplicate rules in force as a company script would.
    func rules(_ table: [String: ScriptValue]) throws {
        try ws.applyCompany(CompanyContributions(schema: SchemaDeclarations(settings: [DuplicateRules.settingKey: .table(table)])))
    }

    /// A valid customer.
    static func customer(_ name: String, _ phone: String, _ extra: [String: Value] = [:]) -> [String: Value] {
        ["name": .text(name), "phone": .text(phone), "industry": .text("信息技术"), "source": .text("展会推荐")].merging(extra) { $1 }
    }

    @discardableResult
    func create(_ name: String, _ phone: String, _ extra: [String: Value] = [:]) throws -> Record {
        try store.create("customer", Self.customer(name, phone, extra))
    }
}

/// The error a throwing body raised, when it is a `KernelError`.
func duplicateError(_ body: () throws -> Void) -> KernelError? {
    do { try body(); return nil } catch { return error as? KernelError }
}

/// 查重 on create, update and import, as the company's rules say.
struct DuplicateRulesTests {
    @Test func aCustomerWithTheSamePhoneNormalizedIsBlockedNamingTheExistingOne() throws {
        let w = try DuplicateFixture()
        let first = try w.create("深圳华信科技有限公司", "+86 138-0013-8000")
        #expect(first["phone_key"] == .text("13800138000"))
        let error = duplicateError { try w.create("广州另一家公司", "13800138000") }
        #expect(error?.kind == .conflict)
        #expect(error?.fieldErrors == [FieldError(field: "phone", message: "与客户 #\(first.id) 深圳华信科技有限公司 重复（电话）")])
        #expect(try w.store.count("customer") == 1)
    }

    @Test(arguments: ["深圳华信科技", "深圳华信科技股份有限公司", "深圳华信科技（中国）有限公司", "深圳　华信科技有限公司"])
    func aCustomerWithTheSameNormalizedNameIsBlocked(_ name: String) throws {
        let w = try DuplicateFixture()
        let first = try w.create("深圳华信科技有限公司", "13800138000")
        let error = duplicateError { try w.create(name, "13900139000") }
        #expect(error?.fieldErrors.map(\.field) == ["name"])
        #expect(error?.fieldErrors.first?.message == "与客户 #\(first.id) 深圳华信科技有限公司 重复（名称）")
        #expect(error?.description == "duplicate customer (customer.name: 与客户 #\(first.id) 深圳华信科技有限公司 重复（名称）)")
    }

    @Test func creditCodeIsMatchedExactlyAndEveryBlockedFieldIsNamed() throws {
        let w = try DuplicateFixture()
        try w.create("甲公司", "13800138000", ["credit_code": .text("91440300MA5F0XXX1A")])
        let error = duplicateError { try w.create("甲", "13800138000", ["credit_code": .text("91440300MA5F0XXX1A")]) }
        #expect(error?.fieldErrors.map(\.field) == ["name", "phone", "credit_code"])
        try w.create("乙公司", "13900139000", ["credit_code": .text("91440300MA5F0XXX2B")])
    }

    @Test func warnSavesTheCustomerAndRecordsTheDuplicateWhereUsersSeeIt() throws {
        let w = try DuplicateFixture()
        try w.rules(["name": .value(.text("warn")), "phone": .value(.text("warn"))])
        let first = try w.create("深圳华信科技有限公司", "13800138000")
        let second = try w.create("深圳华信科技", "+86 138 0013 8000")
        #expect(second["duplicate_warning"] == .text("与客户 #\(first.id) 深圳华信科技有限公司 重复（名称）；与客户 #\(first.id) 深圳华信科技有限公司 重复（电话）"))
        #expect(first["duplicate_warning"] == .null)
        // Renaming it away from the duplicate recomputes the warning (the phone still matches).
        let renamed = try w.store.update("customer", second.id, ["name": .text("深圳恒远贸易")])
        #expect(renamed["duplicate_warning"] == .text("与客户 #\(first.id) 深圳华信科技有限公司 重复（电话）"))
        // A user who checked it may clear it; an unrelated change keeps it cleared.
        try w.store.update("customer", second.id, ["duplicate_warning": .null])
        #expect(try w.store.update("customer", second.id, ["grade": .text("A")])["duplicate_warning"] == .null)
    }

    @Test func allowTurnsAMatchOffAndOnSwitchesOffCreatesOrUpdates() throws {
        let w = try DuplicateFixture()
        try w.rules(["name": .value(.text("allow"))])
        try w.create("深圳华信科技有限公司", "13800138000")
        try w.create("深圳华信科技", "13900139000")
        #expect(duplicateError { try w.create("第三家", "13900139000") }?.fieldErrors.map(\.field) == ["phone"], "phone still blocks")
        try w.rules(["on": .table(["create": .value(.bool(false))])])
        try w.create("第三家", "13900139000")
        #expect(try w.store.count("customer") == 3)
    }

    @Test func updatingACustomerDoesNotFlagItselfButChangingToAnotherOnesPhoneIsBlocked() throws {
        let w = try DuplicateFixture()
        let a = try w.create("深圳华信科技有限公司", "13800138000")
        let b = try w.create("广州恒远贸易有限公司", "13900139000")
        let renamed = try w.store.update("customer", a.id, ["name": .text("深圳华信科技股份有限公司"), "phone": .text("+86 13800138000")])
        #expect(renamed["name_key"] == .text("深圳华信科技"))
        let error = duplicateError { try w.store.update("customer", b.id, ["phone": .text("138-0013-8000")]) }
        #expect(error?.fieldErrors.first?.message == "与客户 #\(a.id) 深圳华信科技股份有限公司 重复（电话）")
        // Unrelated changes never re-check: an existing duplicate does not block editing a record.
        try w.rules(["phone": .value(.text("allow"))])
        let c = try w.create("第三家", "13900139000")
        try w.rules([:])
        #expect(try w.store.update("customer", c.id, ["grade": .text("B")])["grade"] == .text("B"))
    }

    @Test func duplicatesWithinOneImportBatchAndAgainstStoredCustomersAreReportedPerRow() throws {
        let w = try DuplicateFixture()
        try w.create("已有客户有限公司", "13700137000")
        let rows = [DuplicateFixture.customer("深圳华信科技有限公司", "13800138000"),
                    DuplicateFixture.customer("深圳华信科技", "13900139000"),            // same name as row 0, same batch
                    DuplicateFixture.customer("广州恒远贸易", "+86 137 0013 7000"),       // phone of the stored one
                    DuplicateFixture.customer("杭州云帆软件", "13600136000")]
        let result = try w.store.bulkCreate("customer", rows, options: BulkOptions(batchSize: 10))
        #expect(result.created == 2)
        #expect(result.failures.map(\.index) == [1, 2])
        #expect(result.failures[0].error.fieldErrors.first?.message.contains("深圳华信科技有限公司 重复（名称）") == true)
        #expect(result.failures[1].error.fieldErrors.map(\.field) == ["phone"])
        try w.rules(["on": .table(["import": .value(.bool(false))])])
        #expect(try w.store.bulkCreate("customer", [rows[1]]).created == 1, "on.import = false skips imports")
        #expect(duplicateError { try w.store.create("customer", rows[1]) } != nil, "but not single creates")
    }

    @Test func theMigrationFillsKeysOfCustomersStoredBeforeTheRulesAndRefusesNothing() throws {
        let w = try DuplicateFixture()
        w.store.setHooks(HookSet())  // as before 查重 existed: no keys kept
        let a = try w.create("深圳华信科技有限公司", "138 0013 8000")
        let b = try w.create("深圳华信科技", "13800138000")
        let c = try w.store.create("contact", ["customer": .integer(a.id), "name": .text("张伟"), "phone": .text("+86 139 0013 9000")])
        #expect(a["name_key"] == .null)
        try w.ws.reconfigure()
        let migration = try #require(CustomersPlugin().migrations.first { $0.id == "customers.001-duplicate-keys" })
        try w.store.write(as: .system) { tx in try migration.run(tx) }
        #expect(try w.store.get("customer", a.id)?["phone_key"] == .text("13800138000"))
        #expect(try w.store.get("customer", b.id)?["name_key"] == .text("深圳华信科技"))
        #expect(try w.store.get("contact", c.id)?["phone_key"] == .text("13900139000"))
    }
}
