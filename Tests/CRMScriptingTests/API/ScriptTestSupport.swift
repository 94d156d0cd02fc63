import CRMKernel
import CRMPlugins
@testable import CRMScripting
import Foundation

/// A temporary workspace with a script pack written by the test.
struct ScriptFixture {
    let directory: URL
    let workspace: Workspace

    /// Creates a workspace whose `scripts/` holds `files` (name → Lua source); the stock pack's
    /// library is always available as `lib/phone.lua`.
    init(_ files: [String: String] = [:]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("crm-scripting-\(UUID().uuidString)")
        let scripts = directory.appendingPathComponent("scripts")
        try FileManager.default.createDirectory(at: scripts.appendingPathComponent("lib"), withIntermediateDirectories: true)
        for (name, source) in files {
            let url = scripts.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try source.write(to: url, atomically: true, encoding: .utf8)
        }
        workspace = try Workspace(directory: directory, registry: try BuiltInPlugins.registry(), create: true, configure: false)
    }

    /// Writes (or replaces) a pack file.
    func write(_ name: String, _ source: String) throws {
        let url = directory.appendingPathComponent("scripts").appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try source.write(to: url, atomically: true, encoding: .utf8)
    }

    /// The modules' stock script files (from their folders, `Plugins/<Name>/Scripts`).
    static var stockPack: [String: String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Plugins").standardizedFileURL
        var files: [String: String] = [:]
        for (name, folder) in [("10_customers.lua", "Customers"), ("20_opportunities.lua", "Opportunities"), ("lib/phone.lua", "Customers")] {
            files[name] = (try? String(contentsOf: root.appendingPathComponent(folder).appendingPathComponent("Scripts").appendingPathComponent(name), encoding: .utf8)) ?? ""
        }
        return files
    }

    /// Loads the pack; throws its problems.
    func host() throws -> ScriptHost { try ScriptHost(workspace: workspace) }

    /// A console over the pack that collects printed output.
    func console() throws -> (Console, OutputBox) {
        let box = OutputBox()
        let host = try self.host()
        try workspace.store.create("user", ["name": .text("admin"), "role": .text("admin")])
        try host.engine.act(as: "admin")
        return (Console(host: host) { box.lines.append($0) }, box)
    }

    /// Closes the workspace (its scripts' hooks hold it, which would keep its connections open on
    /// the files removed here) and removes its folder.
    func cleanUp() {
        workspace.close()
        try? FileManager.default.removeItem(at: directory)
    }

    static let customer: [String: Value] = ["name": .text("深圳华信科技有限公司"), "phone": .text("+86 138-0013-8000"),
                                            "industry": .text("信息技术"), "source": .text("展会推荐")]
}

/// Collects console output.
final class OutputBox: @unchecked Sendable {
    var lines: [String] = []
}
