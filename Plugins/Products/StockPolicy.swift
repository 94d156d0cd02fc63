import CRMKernel

/// When orders reserve and take stock, and whether available stock may go below zero:
/// `crm.products.stock_policy{reserve_on = "submit", take_on = "approval", allow_negative = false}`.
public struct StockPolicy: Sendable, Hashable {
    /// When an order reserves its lines' stock.
    public enum ReserveOn: String, Sendable, CaseIterable {
        /// When it is submitted for approval.
        case submit
        /// When it is approved.
        case approval
        /// Never: stock is only taken.
        case none
    }

    /// When an order's stock is taken (出库).
    public enum TakeOn: String, Sendable, CaseIterable {
        /// When it is approved.
        case approval
        /// When it is delivered.
        case delivery
        /// Only by hand.
        case manual
    }

    /// When orders reserve.
    public var reserveOn: ReserveOn
    /// When orders take.
    public var takeOn: TakeOn
    /// Whether a move may leave available stock below zero.
    public var allowNegative: Bool

    /// The policy when no script sets one.
    public static let standard = StockPolicy(reserveOn: .submit, takeOn: .approval, allowNegative: false)
    /// The setting's key in `Schema.setting(_:as:)`.
    public static let settingKey = "products.stock_policy"

    /// Creates a policy.
    public init(reserveOn: ReserveOn, takeOn: TakeOn, allowNegative: Bool) {
        self.reserveOn = reserveOn
        self.takeOn = takeOn
        self.allowNegative = allowNegative
    }

    /// The company's policy in force (the standard one when its script says nothing).
    public static func current(_ schema: Schema) -> StockPolicy {
        schema.setting(settingKey, as: StockPolicy.self) ?? standard
    }

    static var setting: PluginSetting {
        PluginSetting("stock_policy",
                      summary: "crm.products.stock_policy{reserve_on = \"submit\"|\"approval\"|\"none\", take_on = \"approval\"|\"delivery\"|\"manual\", allow_negative = false}",
                      default: .table([:])) { value in try parse(value) }
    }

    /// Reads a script's table; unknown keys and values are refused naming the key.
    static func parse(_ value: ScriptValue) throws -> StockPolicy {
        var policy = standard
        guard let fields = value.fields else { throw KernelError(.validation, "stock_policy expects a table") }
        for (key, entry) in fields {
            switch key {
            case "reserve_on":
                guard let text = entry.text, let v = ReserveOn(rawValue: text) else {
                    throw KernelError(.validation, "stock_policy.reserve_on: expects one of \(ReserveOn.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                policy.reserveOn = v
            case "take_on":
                guard let text = entry.text, let v = TakeOn(rawValue: text) else {
                    throw KernelError(.validation, "stock_policy.take_on: expects one of \(TakeOn.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                policy.takeOn = v
            case "allow_negative":
                guard case .value(.bool(let b)) = entry else { throw KernelError(.validation, "stock_policy.allow_negative: expects true or false") }
                policy.allowNegative = b
            default:
                throw KernelError(.validation, "stock_policy: unknown key '\(key)' (known: reserve_on, take_on, allow_negative)")
            }
        }
        return policy
    }
}
