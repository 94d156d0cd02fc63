import CRMKernel

/// The company's order rules, set from Lua with
/// `crm.orders.rules{rounding = "line", statuses = {approved = "已审批", ...}, locked = {...}}`.
///
/// `statuses` names which stage of the company's `order` pipeline (declared with
/// `crm.stages("order", ...)`) plays each role the module acts on; `locked` lists the stages in
/// which lines and amounts cannot change.
public struct OrderSettings: Sendable, Hashable {
    /// The rounding rule (see `RoundingRule`).
    public var rounding: RoundingRule
    /// Stage names by role: draft, submitted, approved, executing, completed, rejected, void.
    public var statuses: [String: String]
    /// Stages in which lines and amounts are locked.
    public var locked: Set<String>

    /// The roles a company may rename.
    public static let roles = ["draft", "submitted", "approved", "executing", "completed", "rejected", "void"]
    /// The stock names.
    public static let standard = OrderSettings(
        rounding: .line,
        statuses: ["draft": "草稿", "submitted": "审批中", "approved": "已审批", "executing": "执行中", "completed": "已完成",
                   "rejected": "已驳回", "void": "作废"],
        locked: ["审批中", "已审批", "执行中", "已完成", "作废"])
    /// The setting's key in `Schema.setting(_:as:)`.
    public static let settingKey = "orders.rules"

    /// The stage playing `role` (one of `roles`).
    public func status(_ role: String) -> String { statuses[role] ?? Self.standard.statuses[role] ?? role }

    /// The settings in force in `schema`.
    public static func current(_ schema: Schema) -> OrderSettings {
        schema.setting(settingKey, as: OrderSettings.self) ?? .standard
    }

    static var setting: PluginSetting {
        PluginSetting("rules", summary: "crm.orders.rules{rounding = \"line\"|\"total\", statuses = {approved = \"已审批\", ...}, locked = {...}}",
                      default: .table([:])) { value in
            var rules = standard
            for (key, entry) in value.fields ?? [:] {
                switch key {
                case "rounding":
                    guard let text = entry.text, let rule = RoundingRule(rawValue: text) else {
                        throw KernelError(.validation, "rounding: expects \"line\" or \"total\"")
                    }
                    rules.rounding = rule
                case "statuses":
                    for (role, name) in entry.fields ?? [:] {
                        guard roles.contains(role) else { throw KernelError(.validation, "statuses: unknown role '\(role)' (known: \(roles.joined(separator: ", ")))") }
                        guard let text = name.text, !text.isEmpty else { throw KernelError(.validation, "statuses.\(role): expects a stage name") }
                        rules.statuses[role] = text
                    }
                case "locked":
                    switch entry {
                    case .value(.list(let names)): rules.locked = Set(names)
                    case .list(let items):
                        rules.locked = Set(try items.map { item in
                            guard let text = item.text else { throw KernelError(.validation, "locked: expects stage names") }
                            return text
                        })
                    default: throw KernelError(.validation, "locked: expects a list of stage names")
                    }
                default:
                    throw KernelError(.validation, "unknown key '\(key)' (known: rounding, statuses, locked)")
                }
            }
            return rules
        }
    }
}
