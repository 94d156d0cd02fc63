import CRMKernel

/// The roles statuses play, named in the stock pack (`crm.service.rules{statuses = {...}}`):
/// the code asks for "the solved status", never for a Chinese word.
public struct ServiceStatus: Sendable, Hashable {
    /// The stock statuses, in order.
    public static let defaults = ["新建", "已分配", "处理中", "待客户回复", "待第三方", "已解决", "已关闭", "已合并", "无效"]

    /// A new ticket nobody took yet.
    public var new = "新建"
    /// Given to an agent.
    public var assigned = "已分配"
    /// Being worked on (a customer reply to a solved ticket comes back here).
    public var working = "处理中"
    /// Waiting for the customer's answer.
    public var waitingCustomer = "待客户回复"
    /// Waiting for a third party.
    public var waitingThirdParty = "待第三方"
    /// Solved: the rating is asked, the auto-close timer runs.
    public var solved = "已解决"
    /// Closed for good.
    public var closed = "已关闭"
    /// Merged into another ticket.
    public var merged = "已合并"
    /// Not a real ticket.
    public var invalid = "无效"

    /// Statuses whose tickets are done (the SLA clock stops for good).
    public var finished: [String] { [solved, closed, merged, invalid] }
    /// Statuses of tickets someone should work on (the agent's open load).
    public var open: [String] { [new, assigned, working, waitingCustomer, waitingThirdParty] }

    /// Reads `{new = ..., solved = ...}`, naming a wrong key.
    static func parse(_ value: ScriptValue?, _ path: String) throws -> ServiceStatus {
        var s = ServiceStatus()
        guard let value else { return s }
        let t = try ServiceRules.table(value, path)
        let keys: [String: WritableKeyPath<ServiceStatus, String>] = [
            "new": \.new, "assigned": \.assigned, "working": \.working, "waiting_customer": \.waitingCustomer,
            "waiting_third_party": \.waitingThirdParty, "solved": \.solved, "closed": \.closed, "merged": \.merged, "invalid": \.invalid,
        ]
        for (key, raw) in t {
            guard let path2 = keys[key] else {
                throw KernelError(.validation, "\(path): unknown key '\(key)' (known: \(keys.keys.sorted().joined(separator: ", ")))")
            }
            guard let text = raw.text, !text.isEmpty else { throw KernelError(.validation, "\(path).\(key): expects a status name") }
            s[keyPath: path2] = text
        }
        return s
    }
}
