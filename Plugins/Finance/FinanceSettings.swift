import CRMKernel

/// The company's finance rules, set from Lua with `crm.finance.rules{...}`:
/// `tolerance_fen` (how far approved receipts may exceed an order's total, fen, default 0),
/// `future_days` (how many days after today a receipt may be dated, default 0),
/// `methods` (payment methods), `expense_categories`, `aging_buckets` (upper bounds in days of
/// the overdue buckets, default `{30, 60, 90}`: 1–30, 31–60, 61–90, 90+).
public struct FinanceSettings: Sendable, Hashable {
    /// Tolerance over the order total, fen.
    public var toleranceFen: Int64 = 0
    /// Days after today a receipt's date may be.
    public var futureDays: Int = 0
    /// Accepted payment methods.
    public var methods: [String] = PaymentEntities.methods
    /// Accepted expense categories.
    public var expenseCategories: [String] = ["交通", "住宿", "餐饮", "招待", "办公", "其他"]
    /// Upper bounds (days overdue) of the aging buckets, ascending.
    public var agingBuckets: [Int] = [30, 60, 90]

    /// The setting's key.
    static let key = "finance.rules"

    /// The settings in force.
    public static func current(_ schema: Schema) -> FinanceSettings { schema.setting(key, as: FinanceSettings.self) ?? FinanceSettings() }

    /// The aging bucket names: 未到期, 1-30, 31-60, 61-90, 90+ (with the company's bounds).
    public var bucketNames: [String] {
        var names = ["未到期"], low = 1
        for bound in agingBuckets {
            names.append("\(low)-\(bound)")
            low = bound + 1
        }
        return names + ["\(low - 1)+"]
    }

    /// The bucket index of an installment `overdueDays` past due (0: not yet due).
    public func bucket(overdueDays: Int) -> Int {
        guard overdueDays > 0 else { return 0 }
        return 1 + (agingBuckets.firstIndex { overdueDays <= $0 } ?? agingBuckets.count)
    }

    static var setting: PluginSetting {
        PluginSetting("rules", summary: "crm.finance.rules{tolerance_fen = 0, future_days = 0, methods = {...}, expense_categories = {...}, aging_buckets = {30, 60, 90}}",
                      default: .table([:])) { value in
            var rules = FinanceSettings()
            for (key, entry) in value.fields ?? [:] {
                switch key {
                case "tolerance_fen":
                    guard let n = entry.integer, n >= 0 else { throw KernelError(.validation, "tolerance_fen: expects a whole number of fen ≥ 0") }
                    rules.toleranceFen = n
                case "future_days":
                    guard let n = entry.integer, n >= 0, n <= 3650 else { throw KernelError(.validation, "future_days: expects a number of days 0…3650") }
                    rules.futureDays = Int(n)
                case "methods": rules.methods = try names(entry, key)
                case "expense_categories": rules.expenseCategories = try names(entry, key)
                case "aging_buckets":
                    guard case .list(let items) = entry else { throw KernelError(.validation, "aging_buckets: expects a list of day counts") }
                    let bounds = try items.map { item -> Int in
                        guard let n = item.integer, n > 0 else { throw KernelError(.validation, "aging_buckets: expects positive day counts") }
                        return Int(n)
                    }
                    guard !bounds.isEmpty, bounds == bounds.sorted(), Set(bounds).count == bounds.count else {
                        throw KernelError(.validation, "aging_buckets: expects increasing day counts, e.g. {30, 60, 90}")
                    }
                    rules.agingBuckets = bounds
                default:
                    throw KernelError(.validation, "unknown key '\(key)' (known: tolerance_fen, future_days, methods, expense_categories, aging_buckets)")
                }
            }
            return rules
        }
    }

    private static func names(_ entry: ScriptValue, _ key: String) throws -> [String] {
        switch entry {
        case .value(.list(let names)) where !names.isEmpty: return names
        case .list(let items) where !items.isEmpty:
            return try items.map { item in
                guard let text = item.text, !text.isEmpty else { throw KernelError(.validation, "\(key): expects names") }
                return text
            }
        default: throw KernelError(.validation, "\(key): expects a non-empty list of names")
        }
    }
}
