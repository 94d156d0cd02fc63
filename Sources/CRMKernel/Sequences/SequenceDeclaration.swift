/// A numbering sequence a module declares, with the pattern it uses unless the company's script
/// pack sets another with `crm.sequence(name, pattern)`.
///
/// Sequence names are global (`order`, `receipt`, `invoice`): two modules may not declare the same one.
public struct SequenceDeclaration: Sendable, Hashable {
    /// The name documents use: `tx.nextNumber("order")`, `crm.sequence("order", …)`.
    public var name: String
    /// The pattern in force without a company pattern, e.g. `HT-{yyyyMMdd}-{seq:4}`.
    public var defaultPattern: String
    /// One line on what is numbered, shown in errors and docs.
    public var summary: String

    /// Creates a declaration.
    public init(_ name: String, defaultPattern: String, summary: String) {
        self.name = name
        self.defaultPattern = defaultPattern
        self.summary = summary
    }
}

/// Resolving the patterns in force from module declarations and company patterns.
enum SequenceResolver {
    /// The pattern of each sequence the enabled plugins declare: the company's pattern when it
    /// sets one, else the default. Throws for a duplicate name, a bad pattern, or a company pattern
    /// for a sequence no module (enabled or not) declares.
    static func resolve(declared: [(plugin: String, SequenceDeclaration)], known: Set<String>,
                        company: [String: String]) throws(KernelError) -> [String: SequencePattern] {
        var result: [String: SequencePattern] = [:]
        var owner: [String: String] = [:]
        for (plugin, d) in declared {
            guard ReservedFieldNames.isValidIdentifier(d.name) else {
                throw KernelError(.validation, "module '\(plugin)': invalid sequence name '\(d.name)' (lowercase letters, digits and _)")
            }
            if let other = owner[d.name] {
                throw KernelError(.conflict, "sequence '\(d.name)' is declared by both '\(other)' and '\(plugin)'")
            }
            owner[d.name] = plugin
            do throws(KernelError) {
                result[d.name] = try SequencePattern(company[d.name] ?? d.defaultPattern)
            } catch {
                throw KernelError(.validation, (company[d.name] == nil ? "module '\(plugin)': " : "crm.sequence: ") + error.message)
            }
        }
        for name in company.keys.sorted() where !known.contains(name) {
            throw KernelError(.notFound, "crm.sequence: unknown sequence '\(name)' (declared: \(known.sorted().joined(separator: ", ")))")
        }
        return result
    }
}
