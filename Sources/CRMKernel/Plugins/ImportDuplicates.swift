/// An existing record an imported row duplicates, as a module's duplicate rules see it.
public struct DuplicateCandidate: Sendable, Hashable {
    /// The existing record's id.
    public var id: Int64
    /// How users recognise it (a customer's name).
    public var title: String
    /// What matched, in words (`名称`, `电话`, `统一社会信用代码`).
    public var reason: String

    /// Creates a candidate.
    public init(id: Int64, title: String, reason: String) {
        self.id = id
        self.title = title
        self.reason = reason
    }
}

/// A module's duplicate rules for one entity, used by imports (`--on-duplicate`): how to find
/// the existing records a row duplicates, and how to merge a row into one of them.
public struct ImportDuplicateRule: Sendable {
    /// The entity the rule applies to.
    public var entity: String
    /// Existing records that `values` (coerced field values of the row) duplicate, best first.
    /// Called inside the import's transaction, so rows imported earlier in the file count.
    public var find: @Sendable (_ reader: RecordReader, _ values: [String: Value]) throws -> [DuplicateCandidate]
    /// Merges the row into record `id` under the module's merge rules; nil: the kernel's default
    /// (the existing record's empty fields are filled, list fields united).
    public var merge: (@Sendable (_ tx: WriteContext, _ id: Int64, _ values: [String: Value]) throws -> Record)?

    /// Creates a rule.
    public init(entity: String,
                find: @escaping @Sendable (_ reader: RecordReader, _ values: [String: Value]) throws -> [DuplicateCandidate],
                merge: (@Sendable (_ tx: WriteContext, _ id: Int64, _ values: [String: Value]) throws -> Record)? = nil) {
        self.entity = entity
        self.find = find
        self.merge = merge
    }
}

/// Adopted by a plugin whose entities have duplicate rules an import can use.
public protocol ImportDuplicateRules {
    /// The rules, one per entity.
    var importDuplicateRules: [ImportDuplicateRule] { get }
}

extension Workspace {
    /// The duplicate rule of `entity` from the enabled modules, if one declares it.
    public func importDuplicateRule(for entity: String) throws -> ImportDuplicateRule? {
        let enabled = Set(try enabledModules())
        for plugin in registry.plugins where enabled.contains(plugin.manifest.id) {
            if let rules = plugin as? any ImportDuplicateRules, let rule = rules.importDuplicateRules.first(where: { $0.entity == entity }) {
                return rule
            }
        }
        return nil
    }
}
