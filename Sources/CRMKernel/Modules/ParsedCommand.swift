import Foundation

/// The words of one plugin command invocation, parsed against its declaration.
public struct ParsedCommand: Sendable, Hashable {
    /// Positional arguments by declared name.
    public var arguments: [String: String]
    /// Option values by long name (`--as` included).
    public var options: [String: String]
    /// Flags given.
    public var flags: Set<String>
    /// `--workspace DIR`, when given.
    public var workspace: String?
    /// True when `-h`/`--help` was given: the command is not run.
    public var wantsHelp: Bool

    /// Creates parsed words (the parser does; tests may too).
    public init(arguments: [String: String] = [:], options: [String: String] = [:], flags: Set<String> = [],
                workspace: String? = nil, wantsHelp: Bool = false) {
        self.arguments = arguments
        self.options = options
        self.flags = flags
        self.workspace = workspace
        self.wantsHelp = wantsHelp
    }

    /// The positional argument `name`, or nil when it was optional and not given.
    public func argument(_ name: String) -> String? { arguments[name] }

    /// The value of option `--name`, or nil.
    public func option(_ name: String) -> String? { options[name] }

    /// Whether flag `--name` was given.
    public func flag(_ name: String) -> Bool { flags.contains(name) }

    /// The argument or option `name` as a whole number; a validation error naming it otherwise.
    public func integer(_ name: String) throws(KernelError) -> Int64 {
        guard let text = arguments[name] ?? options[name] else { throw KernelError(.validation, "\(name) is required") }
        guard let n = Int64(text) else { throw KernelError(.validation, "\(name): expects a whole number, got '\(text)'") }
        return n
    }

    /// Parses `words` (what follows the command's path) against `command`.
    /// `--workspace DIR` and `-h`/`--help` are accepted by every command.
    static func parse(_ words: [String], for command: PluginCommand, module: String) throws(KernelError) -> ParsedCommand {
        let name = (["crm", module] + command.path).joined(separator: " ")
        var parsed = ParsedCommand()
        var positional: [String] = []
        var index = 0
        var onlyPositional = false
        let options = command.allOptions
        func known() -> String {
            (options.map { "--\($0.name)" } + command.flags.map { "--\($0.name)" } + ["--workspace"]).joined(separator: ", ")
        }
        while index < words.count {
            let word = words[index]
            index += 1
            if onlyPositional || !word.hasPrefix("-") || word == "-" || word.dropFirst().first?.isNumber == true {
                positional.append(word)
                continue
            }
            if word == "--" { onlyPositional = true; continue }
            if word == "-h" || word == "--help" { parsed.wantsHelp = true; continue }
            guard word.hasPrefix("--") else { throw KernelError(.validation, "\(name): unknown option \(word) (known: \(known()))") }
            var key = String(word.dropFirst(2))
            var inline: String?
            if let eq = key.firstIndex(of: "=") {
                inline = String(key[key.index(after: eq)...])
                key = String(key[..<eq])
            }
            if command.flags.contains(where: { $0.name == key }) {
                guard inline == nil else { throw KernelError(.validation, "\(name): --\(key) takes no value") }
                parsed.flags.insert(key)
                continue
            }
            guard key == "workspace" || options.contains(where: { $0.name == key }) else {
                throw KernelError(.validation, "\(name): unknown option --\(key) (known: \(known()))")
            }
            let value: String
            if let inline { value = inline } else {
                guard index < words.count else { throw KernelError(.validation, "\(name): --\(key) needs a value") }
                value = words[index]
                index += 1
            }
            if key == "workspace" { parsed.workspace = value } else { parsed.options[key] = value }
        }
        if parsed.wantsHelp { return parsed }
        guard positional.count <= command.arguments.count else {
            throw KernelError(.validation, "\(name): unexpected argument '\(positional[command.arguments.count])'")
        }
        for (i, argument) in command.arguments.enumerated() {
            if i < positional.count { parsed.arguments[argument.name] = positional[i] } else if argument.required {
                throw KernelError(.validation, "\(name): missing \(argument.name) (usage: \(command.usage(module: module)))")
            }
        }
        return parsed
    }
}
