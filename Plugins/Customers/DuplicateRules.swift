import CRMKernel

/// The company's 查重 rules: which customer fields count as a duplicate, what happens when one
/// is found, and on which writes the check runs.
///
/// Set from the script pack with `crm.customers.duplicate_rules{...}`; parsed once per schema and
/// read by the before-save hook with `Schema.setting("customers.duplicate_rules", as:)`.
public struct DuplicateRules: Sendable, Hashable {
    /// What is compared.
    public enum Match: String, Sendable, CaseIterable {
        /// The company name, normalized (full-width, spaces, case, 有限公司-style suffixes).
        case name
        /// The customer's phone, normalized (+86, spaces, dashes, parentheses).
        case phone
        /// 统一社会信用代码, exact.
        case creditCode = "credit_code"
        /// The customer's phone against the phones of other customers' contacts.
        case contactPhone = "contact_phone"

        /// The customer field a duplicate is reported on.
        public var field: String {
            switch self {
            case .name: return "name"
            case .phone, .contactPhone: return "phone"
            case .creditCode: return "credit_code"
            }
        }

        /// How the match is named in messages.
        var label: String {
            switch self {
            case .name: return "名称"
            case .phone: return "电话"
            case .creditCode: return "统一社会信用代码"
            case .contactPhone: return "联系人电话"
            }
        }
    }

    /// What happens when a duplicate is found.
    public enum Action: String, Sendable, CaseIterable {
        /// The write is refused with a field error naming the existing customer.
        case block
        /// The write goes through; the finding is kept in the customer's `duplicate_warning`.
        case warn
        /// No check.
        case allow
    }

    /// The action per match; a match not listed is `allow`.
    public var actions: [Match: Action]
    /// Check when a customer is created one at a time.
    public var onCreate: Bool
    /// Check when a customer's name, phone or credit code changes.
    public var onUpdate: Bool
    /// Check records created by a bulk import (`crm import`).
    public var onImport: Bool

    /// Creates rules.
    public init(actions: [Match: Action], onCreate: Bool = true, onUpdate: Bool = true, onImport: Bool = true) {
        self.actions = actions
        self.onCreate = onCreate
        self.onUpdate = onUpdate
        self.onImport = onImport
    }

    /// The rules in force when scripts say nothing: block on name, phone and credit code.
    public static let standard = DuplicateRules(actions: [.name: .block, .phone: .block, .creditCode: .block, .contactPhone: .allow])

    /// The setting's key in `Schema.setting(_:as:)`.
    public static let settingKey = "customers.duplicate_rules"

    /// The action for `match`.
    public func action(_ match: Match) -> Action { actions[match] ?? .allow }

    /// Matches that are checked (not `allow`), in declaration order.
    public var checkedMatches: [Match] { Match.allCases.filter { action($0) != .allow } }

    /// Whether a save of this kind is checked.
    func applies(_ operation: SaveOperation, bulk: Bool) -> Bool {
        switch operation {
        case .create: return bulk ? onImport : onCreate
        case .update: return onUpdate
        case .delete: return false
        }
    }

    /// The rules in force for a schema (the standard ones when the setting is missing).
    static func inForce(_ schema: Schema) -> DuplicateRules {
        schema.setting(settingKey, as: DuplicateRules.self) ?? .standard
    }
}

extension DuplicateRules {
    /// `crm.customers.duplicate_rules{...}`.
    static var setting: PluginSetting {
        PluginSetting("duplicate_rules",
                      summary: "crm.customers.duplicate_rules{name = \"block\", phone = \"block\", credit_code = \"block\", contact_phone = \"allow\", on = {create = true, update = true, import = true}}",
                      default: .table(Dictionary(uniqueKeysWithValues: standard.actions.map { ($0.key.rawValue, .value(.text($0.value.rawValue))) }))) {
            try parse($0)
        }
    }

    /// Parses the script table. Matches left out keep their standard action.
    static func parse(_ value: ScriptValue) throws -> DuplicateRules {
        let fields: [String: ScriptValue]
        switch value {
        case .table(let t): fields = t
        case .list(let items) where items.isEmpty: fields = [:]
        default:
            throw KernelError(.validation, "expects a table keyed by match, e.g. {name = \"block\", phone = \"warn\"}")
        }
        var rules = standard
        let known = Match.allCases.map(\.rawValue) + ["on"]
        for key in fields.keys.sorted() {
            let entry = fields[key]!
            if key == "on" {
                try parseOn(entry, into: &rules)
                continue
            }
            guard let match = Match(rawValue: key) else {
                throw KernelError(.validation, "unknown match '\(key)' (known: \(known.joined(separator: ", ")))")
            }
            guard let text = entry.text else {
                throw KernelError(.validation, "\(key): the action must be a string (block, warn or allow)")
            }
            guard let action = Action(rawValue: text) else {
                throw KernelError(.validation, "\(key): unknown action '\(text)' (known: block, warn, allow)")
            }
            rules.actions[match] = action
        }
        return rules
    }

    private static func parseOn(_ value: ScriptValue, into rules: inout DuplicateRules) throws {
        let table: [String: ScriptValue]
        switch value {
        case .table(let t): table = t
        case .list(let items) where items.isEmpty: table = [:]
        default: throw KernelError(.validation, "on: expects a table such as {create = true, update = true, import = false}")
        }
        for key in table.keys.sorted() {
            guard case .value(.bool(let flag)) = table[key]! else {
                throw KernelError(.validation, "on.\(key): expects true or false")
            }
            switch key {
            case "create": rules.onCreate = flag
            case "update": rules.onUpdate = flag
            case "import": rules.onImport = flag
            default: throw KernelError(.validation, "on: unknown key '\(key)' (known: create, update, import)")
            }
        }
    }
}
