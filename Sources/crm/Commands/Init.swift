import ArgumentParser
import CRMKernel
import CRMPlugins
import Foundation

extension CRM {
    /// `crm init [--demo]`: creates a workspace with the stock script pack.
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a workspace (with --demo: fill it with sample data).")
        @OptionGroup var options: WorkspaceOptions
        @Flag(help: "Fill the workspace with realistic Chinese sample data for every enabled module.") var demo = false

        func run() throws {
            try reportingErrors {
                let dir = options.directory
                let existed = FileManager.default.fileExists(atPath: Workspace.databaseURL(in: dir).path)
                let ws = try WorkspaceLoader.create(options).workspace
                if try ws.store.count("user", filter: .eq("name", .text("admin"))) == 0 {
                    try ws.store.create("user", ["name": .text("admin"), "display_name": .text("管理员"), "role": .text("admin")])
                }
                if try ws.store.setting("time_zone") == nil { try ws.store.setSetting("time_zone", "Asia/Shanghai") }
                say(existed ? "workspace \(dir.path) already exists; left as it is" : "created workspace \(dir.path)")
                if demo {
                    // Each enabled module's demo users (and their teams), then its demo data.
                    let n = try ws.seedDemo()
                    say("added demo data: \(n) records")
                }
            }
        }
    }
}
