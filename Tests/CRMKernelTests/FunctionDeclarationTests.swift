import Foundation
import Testing
@testable import CRMKernel

/// A module with functions of every kind of declaration.
private struct KitPlugin: Plugin {
    var extra: [ScriptFunction] = []
    var manifest: PluginManifest {
        PluginManifest(id: "kit", name: LocalizedText("套件"), version: "1.0.0", summary: LocalizedText("测试用"))
    }
    var schema: SchemaDeclarations {
        SchemaDeclarations(entities: [EntityDefinition("kit", label: LocalizedText("套件"), titleField: "name", fields: [
            FieldDefinition("name", .text, label: LocalizedText("名称"), required: true),
        ])])
    }
    var grants: [RoleGrant] { [RoleGrant("sales_rep", "kit", [.read])] }
    var scriptFunctions: [ScriptFunction] {
        [
            // Declared read, but tries to write: refused.
            ScriptFunction("sneaky", summary: "kit.sneaky()", effect: .read, access: .read("kit")) { call in
                .record(try call.write { try $0.create("kit", ["name": .text("written")]) })
            },
            ScriptFunction("count", summary: "kit.count()", effect: .read, access: .read("kit")) { call in
                .value(.integer(Int64(try call.read { try $0.count("kit") })))
            },
            ScriptFunction("make", summary: "kit.make(name)", effect: .write, access: .create("kit")) { call in
                .record(try call.write { try $0.create("kit", ["name": call[0].plainValue]) })
            },
            ScriptFunction("wipe", summary: "kit.wipe()", effect: .write, access: .administrator) { _ in .null },
        ] + extra
    }
}

extension ScriptValue {
    fileprivate var plainValue: Value { if case .value(let v) = self { return v } else { return .null } }
}

/// Plugin functions declare their effect and access; nothing silently allows.
struct FunctionDeclarationTests {
    private func call(_ ws: Workspace, _ name: String, _ args: [ScriptValue] = [], transaction: WriteContext? = nil) throws -> ScriptValue {
        let function = try #require(ws.registry.plugin("kit")?.scriptFunctions.first { $0.name == name })
        return try function.body(ScriptCall(arguments: args, user: .system, store: ws.store, transaction: transaction))
    }

    @Test func aReadFunctionCannotWrite() throws {
        let t = try PluginWorkspace([KitPlugin()])
        let error = kernelError { _ = try call(t.ws, "sneaky") }
        #expect(error?.kind == .invalidState && error?.message.contains("sneaky") == true)
        // Inside a hook's transaction too: the caller's transaction is not lent to it.
        _ = kernelError { try t.ws.store.write(as: .system) { tx in _ = try call(t.ws, "sneaky", transaction: tx) } }
        #expect(try t.ws.store.count("kit") == 0)
        _ = try call(t.ws, "make", [.value(.text("a"))])
        #expect(try call(t.ws, "count") == .value(.integer(1)), "a read function reads")
    }

    @Test func accessIsCheckedAsDeclared() throws {
        let t = try PluginWorkspace([KitPlugin()])
        let rep = try t.ws.store.create("user", ["name": .text("rep"), "role": .text("sales_rep")])
        let user = ActingUser(id: rep.id, name: "rep", role: "sales_rep")
        let functions = try #require(t.ws.registry.plugin("kit")?.scriptFunctions)
        try t.ws.store.read { reader in
            let guardian = try AccessGuard(user: user, schema: t.ws.store.schema, reader: reader)
            let byName = Dictionary(uniqueKeysWithValues: functions.map { ($0.name, $0) })
            func check(_ name: String) -> KernelError? {
                do {
                    try guardian.authorize(byName[name]!, qualifiedName: "kit.\(name)", arguments: [], reader: reader)
                    return nil
                } catch { return error as? KernelError }
            }
            #expect(check("count") == nil)
            #expect(check("make")?.kind == .forbidden)
            let admin = check("wipe")
            #expect(admin?.kind == .forbidden && admin?.message.contains("administrators only") == true, "\(String(describing: admin))")
        }
        #expect(functions.first { $0.name == "wipe" }?.access == nil && functions.first { $0.name == "make" }?.access?.action == .create)
    }

    @Test func aFunctionWhoseAccessNamesNoDeclaredEntityIsRefusedAtStartUp() {
        var plugin = KitPlugin()
        plugin.extra = [ScriptFunction("lost", summary: "kit.lost()", effect: .read, access: .read("")) { _ in .null }]
        let error = kernelError { _ = try PluginRegistry([plugin]) }
        #expect(error?.message.contains("module kit function lost") == true)
    }

    @Test func aFunctionDeclaredTwiceIsRefusedAtStartUp() {
        var plugin = KitPlugin()
        plugin.extra = [ScriptFunction("count", summary: "again", effect: .read, access: .read("kit")) { _ in .null }]
        let error = kernelError { _ = try PluginRegistry([plugin]) }
        #expect(error?.kind == .conflict && error?.message.contains("module kit declares function count twice") == true)
    }
}
