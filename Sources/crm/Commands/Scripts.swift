import ArgumentParser
import CRMKernel
import CRMPlugins
import CRMScripting
import Foundation

extension CRM {
    /// `crm scripts check|reload`.
    struct Scripts: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check or reload the workspace's Lua script pack.",
                                                        subcommands: [Check.self, Reload.self])

        struct Check: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Validate the pack without applying it; report every problem with file and line.")
            @OptionGroup var options: WorkspaceOptions

            func run() throws {
                try reportingErrors {
                    let ws = try WorkspaceLoader.openWithoutScripts(options)
                    let problems = ScriptHost.check(ws)
                    if problems.isEmpty {
                        say("script pack OK (\(ws.scriptsDirectory.path))")
                        return
                    }
                    for p in problems { FileHandle.standardError.write(Data("\(p)\n".utf8)) }
                    throw ExitCode(crmExitCode(for: .scriptFailed))
                }
            }
        }

        struct Reload: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Apply the pack (a pack with an error is refused whole).")
            @OptionGroup var options: WorkspaceOptions

            func run() throws {
                try reportingErrors {
                    _ = try WorkspaceLoader.open(options)
                    say("script pack applied")
                }
            }
        }
    }

    /// `crm run FILE.lua [--as USER]`.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run a Lua file against the workspace (as the console would).")
        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "The Lua file.") var file: String
        @Option(help: "Login name of the acting user (default: admin).") var `as` = "admin"

        func run() throws {
            try reportingErrors {
                let host = try WorkspaceLoader.open(options, as: `as`)
                let console = Console(host: host) { say($0) }
                let result = console.runFile(URL(fileURLWithPath: file))
                if !result.output.isEmpty { say(result.output) }
                if let error = result.error {
                    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                    throw ExitCode(crmExitCode(for: .scriptFailed))
                }
            }
        }
    }

    /// `crm repl [--as USER]`: the operator console.
    struct Repl: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Interactive Lua console over live data (reads stdin when piped).")
        @OptionGroup var options: WorkspaceOptions
        @Option(help: "Login name of the acting user (default: admin).") var `as` = "admin"

        func run() throws {
            try reportingErrors {
                let host = try WorkspaceLoader.open(options, as: `as`)
                let console = Console(host: host) { say($0) }
                let failed: Bool
                if isatty(STDIN_FILENO) != 0 {
                    failed = try InteractiveRepl(console: console, history: options.directory.appendingPathComponent(".crm_history")).run()
                } else {
                    failed = PipedRepl.run(console)
                }
                if failed { throw ExitCode(crmExitCode(for: .scriptFailed)) }
            }
        }
    }
}

/// The console reading piped input: chunks run in order, errors go to stderr with their line,
/// and the exit status says whether any statement failed.
enum PipedRepl {
    static func run(_ console: Console) -> Bool {
        var failed = false
        var buffer = "", startLine = 0, lineNumber = 0
        while let line = readLine(strippingNewline: true) {
            lineNumber += 1
            if buffer.isEmpty { startLine = lineNumber }
            buffer += buffer.isEmpty ? line : "\n" + line
            if line.trimmingCharacters(in: .whitespaces) == ".exit" { break }
            if console.isIncomplete(buffer) { continue }
            failed = emit(console.evaluate(buffer), line: startLine) || failed
            buffer = ""
        }
        if !buffer.isEmpty { failed = emit(console.evaluate(buffer), line: startLine) || failed }
        return failed
    }

    private static func emit(_ r: Console.Result, line: Int) -> Bool {
        if !r.output.isEmpty { say(r.output) }
        guard let e = r.error else { return false }
        FileHandle.standardError.write(Data("stdin:\(line): \(e)\n".utf8))
        return true
    }
}
