import CRMPlugins
import CRMScripting
import Foundation

/// The console on a terminal: prompt, line editing, history, multi-line input; errors are
/// shown and the console stays up.
struct InteractiveRepl {
    let console: Console
    let history: URL

    /// Runs until `.exit` or Ctrl-D; returns false (an interactive session does not fail).
    func run() throws -> Bool {
        say("crm console — Lua over live data. .help for help, .exit to leave.")
        let editor = LineEditor(historyFile: history)
        var buffer = ""
        while let line = editor.read(prompt: buffer.isEmpty ? "crm> " : "...> ") {
            if buffer.isEmpty && line.trimmingCharacters(in: .whitespaces) == ".exit" { break }
            buffer += buffer.isEmpty ? line : "\n" + line
            if console.isIncomplete(buffer) { continue }
            let result = console.evaluate(buffer)
            buffer = ""
            if !result.output.isEmpty { say(result.output) }
            if let e = result.error { say("error: " + e) }
        }
        return false
    }
}
