import ArgumentParser
import CRMKernel
import CRMPlugins
import Foundation

/// The `crm` command: one executable for every operator task. Modules' own commands
/// (`crm <module> <verb>`) are dispatched before this parser sees the words (`CRMEntry`); the
/// shared layers' command groups (`crm import`, `export`, `backup`, `restore`, `report`) come
/// from the built-in list (`BuiltInCommands`).
struct CRM: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crm",
        abstract: "A self-hosted CRM shaped with Lua scripts.",
        discussion: ModuleCommands.overview,
        version: CRMVersion.string,
        subcommands: [Init.self, Serve.self, Modules.self, Jobs.self, UserCommand.self, Token.self]
            + BuiltInCommands.all
            + [Scripts.self, Repl.self, Run.self, Version.self, Events.self, Messages.self]
    )
}
