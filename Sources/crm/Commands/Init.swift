import ArgumentParser
import CRMKernel
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
                    let n = try DemoSeeder.seed(ws)
                    say("added demo data: \(n) records")
                }
            }
        }
    }
}

/// Fills a workspace with sample users, a team, and each enabled module's demo data.
enum DemoSeeder {
    /// Seeds and returns the number of records created.
    static func seed(_ ws: Workspace) throws -> Int {
        let before = try countAll(ws)
        var users: [String: Int64] = [:]
        try ws.store.write(as: .system) { tx in
            let team = try tx.reader.ids("team", where: "name", equals: .text("华南销售部")).first
                ?? tx.create("team", ["name": .text("华南销售部")]).id
            for (name, display, role) in [("zhangwei", "张伟", "sales_manager"), ("lina", "李娜", "sales_rep"), ("wangqiang", "王强", "sales_rep")] {
                if let id = try tx.reader.ids("user", where: "name", equals: .text(name)).first { users[name] = id; continue }
                users[name] = try tx.create("user", ["name": .text(name), "display_name": .text(display), "role": .text(role),
                                                     "team": .integer(team), "phone": .text(CustomerPhone.sample(name))]).id
            }
        }
        var demo = DemoContext(users: users)
        let enabled = try ws.enabledModules()
        for plugin in ws.registry.plugins where enabled.contains(plugin.manifest.id) {
            try ws.store.write(as: .system) { tx in try plugin.seedDemo(tx, &demo) }
        }
        return try countAll(ws) - before
    }

    private static func countAll(_ ws: Workspace) throws -> Int {
        try ws.store.schema.entityNames.reduce(0) { $0 + (try ws.store.count($1)) }
    }
}

/// Sample phone numbers for demo users.
enum CustomerPhone {
    static func sample(_ seed: String) -> String {
        "1380013" + String(format: "%04d", abs(seed.unicodeScalars.reduce(0) { $0 &* 31 &+ Int($1.value) }) % 10_000)
    }
}
