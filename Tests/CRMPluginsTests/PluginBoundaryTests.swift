import CRMKernel
import CRMPlugins
import Foundation
import Testing

/// Every plugin's manifest and its Package.swift target declare the same dependencies, and the
/// built-in plugins register and seed a demo workspace.
struct PluginBoundaryTests {
    /// Plugin id → its SwiftPM target name.
    static func targetName(_ id: String) -> String { "CRM" + id.prefix(1).uppercased() + id.dropFirst() }

    /// The target dependencies Package.swift declares for a target.
    static func packageDependencies(of target: String) throws -> Set<String> {
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Package.swift")
        let text = try String(contentsOf: package, encoding: .utf8)
        guard let start = text.range(of: "name: \"\(target)\"") else { throw PackageTargetMissing(target: target) }
        let rest = text[start.upperBound...]
        guard let deps = rest.range(of: "dependencies: ["), let end = rest[deps.upperBound...].range(of: "]") else { return [] }
        let list = rest[deps.upperBound..<end.lowerBound]
        return Set(list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            .filter { $0.hasPrefix("CRM") && $0 != "CRMKernel" })
    }

    struct PackageTargetMissing: Error { var target: String }

    @Test(arguments: BuiltInPlugins.all.map(\.manifest.id))
    func manifestAndPackageDeclareTheSameDependencies(_ id: String) throws {
        let plugin = try #require(BuiltInPlugins.all.first { $0.manifest.id == id })
        let declared = Set(plugin.manifest.dependencies.map(Self.targetName))
        #expect(try Self.packageDependencies(of: Self.targetName(id)) == declared)
    }

    @Test func theCrmExecutableReachesModulesOnlyThroughTheBuiltInList() throws {
        let moduleTargets = Set(BuiltInPlugins.all.map { Self.targetName($0.manifest.id) })
        let declared = try Self.packageDependencies(of: "crm")
        #expect(declared.isDisjoint(with: moduleTargets), "crm depends on \(declared.intersection(moduleTargets).sorted())")
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/crm").standardizedFileURL
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)).compactMap { $0 as? URL }
            .filter { $0.pathExtension == "swift" }
        #expect(!files.isEmpty)
        for file in files {
            let imports = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
                .filter { $0.hasPrefix("import ") }.map { String($0.dropFirst("import ".count)) }
            #expect(Set(imports).isDisjoint(with: moduleTargets), "\(file.lastPathComponent) imports a module directly")
            let layers = Set(imports.filter { $0.hasPrefix("CRM") }).subtracting(Self.layersTheExecutableMayImport)
            #expect(layers.isEmpty, "\(file.lastPathComponent) imports \(layers.sorted()): reach it through the built-in list")
        }
        #expect(declared.isSubset(of: Self.layersTheExecutableMayImport), "crm depends on \(declared.subtracting(Self.layersTheExecutableMayImport).sorted())")
    }

    /// The project's targets `Sources/crm` may name: the kernel, the Lua runtime, the server it
    /// starts and the built-in list. Import and export, backups, reports and the web interface
    /// come through `BuiltInCommands` and `BuiltInServices`; the command-line support is
    /// re-exported by the built-in list.
    static let layersTheExecutableMayImport: Set<String> = ["CRMKernel", "CRMScripting", "CRMServer", "CRMPlugins"]

    @Test func registryOrdersBuiltInPluginsByDependency() throws {
        let ids = try BuiltInPlugins.registry().plugins.map(\.manifest.id)
        for plugin in BuiltInPlugins.all {
            for dep in plugin.manifest.dependencies {
                #expect(ids.firstIndex(of: dep)! < ids.firstIndex(of: plugin.manifest.id)!)
            }
        }
    }

    @Test func demoDataSeedsEveryEnabledModule() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crm-plugins-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let ws = try Workspace(directory: dir, registry: try BuiltInPlugins.registry(), create: true)
        let owner = try ws.store.create("user", ["name": .text("lina"), "role": .text("sales_rep")])
        var demo = DemoContext(users: ["lina": owner.id])
        for plugin in ws.registry.plugins {
            try ws.store.write(as: .system) { tx in try plugin.seedDemo(tx, &demo) }
        }
        // The marketing demo converts some leads: each brings a customer, a contact and an opportunity.
        let converted = try ws.store.count("lead", filter: .eq("status", .text("已转化")))
        let leads = try ws.store.count("lead")
        #expect(converted > 0 && leads == 300)
        #expect(try ws.store.count("customer") == 40 + converted)
        #expect(try ws.store.count("contact") == 40 + converted)
        #expect(try ws.store.count("opportunity") == 30 + converted)
        let names = try ws.store.find(Query("customer", limit: 40)).records.map { $0["name"].description }
        #expect(names.allSatisfy { $0.hasSuffix("公司") })
    }
}
