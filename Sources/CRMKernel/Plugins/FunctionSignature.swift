/// The arguments of a plugin function as its summary writes them:
/// `crm.orders.convert(quote_id [, fields]) → …` has a required `quote_id` and an optional
/// `fields`.
///
/// Every function's summary starts with its call (the console's help shows it), so the argument
/// names, which ones are optional and which are tables are read from there rather than declared a
/// second time. The HTTP API documents the arguments from it (`prefixItems` in the OpenAPI
/// document) and both the API and Lua refuse a call with more arguments than it lists.
public struct FunctionSignature: Sendable, Hashable {
    /// One argument.
    public struct Argument: Sendable, Hashable {
        /// What the summary writes for it: `quote_id`, `{ids}`, `"order"|"quote"`.
        public var text: String
        /// Whether it comes after a `[` in the call.
        public var optional: Bool

        /// What kind of value it is, as far as the text tells.
        public var kind: Kind {
            if text.hasPrefix("{") { return .table }
            let literals = text.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            if literals.allSatisfy({ $0.count >= 2 && ($0.hasPrefix("\"") || $0.hasPrefix("'")) && $0.last == $0.first }) {
                return .oneOf(literals.map { String($0.dropFirst().dropLast()) })
            }
            if text == "id" || text.hasSuffix("_id") || text == "product" || text == "warehouse" { return .identifier }
            return .any
        }
    }

    /// The kinds of argument the summary distinguishes.
    public enum Kind: Sendable, Hashable {
        /// A record id (`id`, `…_id`).
        case identifier
        /// A table: an object or an array (`{…}`).
        case table
        /// One of the quoted words (`"order"|"quote"`).
        case oneOf([String])
        /// Anything else: the function checks it.
        case any
    }

    /// The arguments in order.
    public var arguments: [Argument]
    /// Whether the call ends in `...` (any number of further arguments).
    public var variadic: Bool

    /// The most arguments a call may pass, or nil when variadic.
    public var maximum: Int? { variadic ? nil : arguments.count }
    /// The arguments a call must pass.
    public var minimum: Int { arguments.prefix { !$0.optional }.count }

    /// Reads the call at the start of `summary` (`crm.<module>.<name>(…)` or `<module>.<name>(…)`);
    /// nil when the summary does not start with one.
    public init?(summary: String) {
        guard let open = summary.firstIndex(of: "("),
              summary[..<open].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }),
              summary[..<open].contains(".") else { return nil }
        var depth = 0, optional = false, current = "", arguments: [Argument] = [], variadic = false
        var index = summary.index(after: open), closed = false
        func finish() {
            let text = current.trimmingCharacters(in: .whitespaces)
            current = ""
            if text == "..." || text == "…" { variadic = true } else if !text.isEmpty { arguments.append(Argument(text: text, optional: optional)) }
        }
        while index < summary.endIndex {
            let c = summary[index]
            switch c {
            case "{", "(": depth += 1; current.append(c)
            case "}": depth -= 1; current.append(c)
            case ")" where depth == 0: finish(); closed = true
            case ")": depth -= 1; current.append(c)
            case "[" where depth == 0: finish(); optional = true
            case "]" where depth == 0: finish()
            case "," where depth == 0: finish()
            default: current.append(c)
            }
            if closed { break }
            index = summary.index(after: index)
        }
        guard closed, depth == 0 else { return nil }
        self.arguments = arguments
        self.variadic = variadic || arguments.contains { $0.text.hasSuffix("...") || $0.text.hasSuffix("…") }
    }
}

extension ScriptFunction {
    /// The call its summary writes, when it writes one.
    public var signature: FunctionSignature? { FunctionSignature(summary: summary) }

    /// Throws `validation` when a call passes more arguments than the summary's call lists
    /// (trailing nils do not count).
    public func checkArguments(_ arguments: [ScriptValue], qualifiedName: String) throws {
        let count = (arguments.lastIndex { $0 != .null } ?? -1) + 1
        guard let signature, let maximum = signature.maximum, count > maximum else { return }
        let names = signature.arguments.map(\.text).joined(separator: ", ")
        throw KernelError(.validation, "\(qualifiedName) takes at most \(maximum) argument\(maximum == 1 ? "" : "s") (\(names)), got \(count)")
    }
}
