import ArgumentParser
import CRMKernel
import CRMPlugins
import CRMScripting

extension CRM {
    /// `crm modules [list|enable NAME|disable NAME]`.
    struct Modules: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List, enable or disable modules.",
            subcommands: [List.self, Enable.self, Disable.self],
            defaultSubcommand: List.self
        )

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List every module with its state and dependencies.")
            @OptionGroup var options: WorkspaceOptions

            func run() throws {
                try reportingErrors {
                    let ws = try WorkspaceLoader.open(options).workspace
                    let rows = try ws.modules().map { m in
                        [m.id, m.enabled ? "enabled" : "disabled", m.version, m.dependencies.isEmpty ? "-" : m.dependencies.joined(separator: ","), m.name.zh]
                    }
                    say(TextTable.render(header: ["module", "state", "version", "depends on", "name"], rows: rows))
                }
            }
        }

        struct Enable: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Enable a module and run its pending migrations.")
            @OptionGroup var options: WorkspaceOptions
            @Argument(help: "Module id.") var name: String

            func run() throws {
                try reportingErrors {
                    let ws = try WorkspaceLoader.open(options).workspace
                    try ws.enable(name)
                    // Its stock scripts join the pack unless the company has files of those names.
                    let copied = try ws.installModuleScripts([name])
                    say("enabled \(name)" + (copied.isEmpty ? "" : " (added scripts/\(copied.joined(separator: ", scripts/")))"))
                }
            }
        }

        struct Disable: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Disable a module; its data is kept.")
            @OptionGroup var options: WorkspaceOptions
            @Argument(help: "Module id.") var name: String

            func run() throws {
                try reportingErrors {
                    let ws = try WorkspaceLoader.open(options).workspace
                    try ws.disable(name)
                    say("disabled \(name) (its data is kept)")
                }
            }
        }
    }
}
