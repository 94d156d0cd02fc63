import Foundation
import GRDB
import Testing
@testable import CRMKernel

/// A temporary directory, removed when released.
final class TempDir: @unchecked Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("crm-kernel-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// A record store on its own temporary database with the kernel entities plus `decls`.
final class TestStore: @unchecked Sendable {
    let store: RecordStore
    let dir: TempDir

    init(_ decls: SchemaDeclarations = Fixture.declarations, hooks: HookSet = HookSet()) throws {
        dir = try TempDir()
        store = try RecordStore(path: dir.url.appendingPathComponent("test.sqlite").path)
        try configure(decls, hooks: hooks)
    }

    /// Applies the kernel entities plus `decls` (a migration when the store already has a schema).
    func configure(_ decls: SchemaDeclarations, hooks: HookSet = HookSet()) throws {
        try store.configure(schema: try SchemaBuilder.build([KernelEntities.declarations, decls]), hooks: hooks)
    }

    /// A store whose company before-save hook writes a contact ("for <name>") before the
    /// company's own checks run, and the events it delivers: for refusals after a write.
    static func withContactWritingHook() throws -> (TestStore, Recorder<Event>) {
        var hooks = HookSet()
        hooks.onBeforeSave("company") { ctx in
            try ctx.tx.create("contact", ["name": .text("for \(ctx.values["name"] ?? .null)")])
        }
        let events = Recorder<Event>()
        hooks.on("*") { events.append($0) }
        return (try TestStore(hooks: hooks), events)
    }

    /// Column names of an entity's table as SQLite sees them.
    func columns(_ entity: String) throws -> [String] {
        try store.pool.read { db in try db.columns(in: "e_" + entity).map(\.name) }
    }

    /// Creates a user and returns it as an acting user.
    func makeUser(_ name: String, role: String = "sales_rep") throws -> ActingUser {
        let r = try store.create("user", ["name": .text(name), "display_name": .text(name.capitalized), "role": .text(role)])
        return ActingUser(id: r.id, name: name, role: role)
    }
}

/// The error a throwing body raised, when it is a `KernelError`; records an issue otherwise.
func kernelError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> KernelError? {
    do {
        try body()
        Issue.record("expected a KernelError, nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let e as KernelError {
        return e
    } catch {
        Issue.record("expected a KernelError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Shorthands for values.
func t(_ s: String) -> Value { .text(s) }
func i(_ n: Int64) -> Value { .integer(n) }
func d(_ s: String) -> Value { .decimal(Decimal(string: s)!) }

/// Thread-safe list of things seen by handlers.
final class Recorder<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [T] = []
    func append(_ item: T) { lock.lock(); items.append(item); lock.unlock() }
    var all: [T] { lock.lock(); defer { lock.unlock() }; return items }
}

/// The entities most tests use: `company` (every field type and rule) and `contact`.
enum Fixture {
    static func label(_ s: String) -> LocalizedText { LocalizedText(s) }

    static var company: EntityDefinition {
        EntityDefinition("company", label: label("公司"), titleField: "name", fields: [
            FieldDefinition("name", .text, label: label("名称"), required: true, searchable: true, maxLength: 20),
            FieldDefinition("code", .text, label: label("编码"), unique: true, pattern: "[A-Z]{3}-[0-9]+"),
            FieldDefinition("notes", .longText, label: label("备注")),
            FieldDefinition("employees", .integer, label: label("员工数"), indexed: true, min: 0, max: 1000),
            FieldDefinition("rating", .decimal, label: label("评分"), min: 0, max: 5, scale: 1),
            FieldDefinition("revenue", .money, label: label("收入")),
            FieldDefinition("active", .boolean, label: label("启用"), defaultValue: .bool(true)),
            FieldDefinition("founded", .date, label: label("成立日期")),
            FieldDefinition("contacted_at", .datetime, label: label("联系时间")),
            FieldDefinition.choice("stage", label: label("阶段"), ["lead", "won", "lost"], defaultValue: "lead"),
            FieldDefinition.choice("industries", label: label("行业"), ["it", "retail", "energy"], multiple: true),
            FieldDefinition("parent", .reference, label: label("上级公司"), target: "company"),
            FieldDefinition("manager", .user, label: label("经理")),
            FieldDefinition("phone", .phone, label: label("电话")),
            FieldDefinition("email", .email, label: label("邮箱")),
            FieldDefinition("website", .url, label: label("网站")),
            FieldDefinition("tags", .tags, label: label("标签"), searchable: true),
            FieldDefinition("city", .text, label: label("城市"), searchable: true),
        ])
    }

    static var contact: EntityDefinition {
        EntityDefinition("contact", label: label("联系人"), titleField: "name", fields: [
            FieldDefinition("name", .text, label: label("姓名"), required: true),
            FieldDefinition("company", .reference, label: label("公司"), target: "company"),
        ])
    }

    static var declarations: SchemaDeclarations { SchemaDeclarations(entities: [company, contact]) }

    /// The fixture with `company` changed by `edit`.
    static func declarations(editingCompany edit: (inout EntityDefinition) -> Void) -> SchemaDeclarations {
        var c = company
        edit(&c)
        return SchemaDeclarations(entities: [c, contact])
    }
}

extension EntityDefinition {
    /// Replaces the field named `name`.
    mutating func replaceField(_ name: String, with field: FieldDefinition) {
        fields[fields.firstIndex { $0.name == name }!] = field
    }

    /// Removes the field named `name`.
    mutating func removeField(_ name: String) {
        fields.removeAll { $0.name == name }
    }
}

/// A workspace over `plugins` in a temporary folder that lives as long as this value.
final class PluginWorkspace: @unchecked Sendable {
    let dir: TempDir
    let ws: Workspace

    init(_ plugins: [any Plugin], company: CompanyContributions = CompanyContributions()) throws {
        dir = try TempDir()
        ws = try Workspace(directory: dir.url.appendingPathComponent("ws"), registry: try PluginRegistry(plugins), create: true, company: company)
    }

    /// The same workspace opened again, as after a restart.
    func reopened(_ plugins: [any Plugin]) throws -> Workspace {
        try Workspace(directory: ws.directory, registry: try PluginRegistry(plugins))
    }
}
