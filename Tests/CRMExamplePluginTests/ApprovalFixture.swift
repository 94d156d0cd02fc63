import CRMExamplePlugin
import CRMKernel
import CRMScripting
import CRMServer
import Foundation

/// The example workspace with people for approvals (a rep whose manager is `mgr`, two finance
/// users, two bosses) and a flow for `warranty_refund` in the company's pack:
/// 经理审批 (the owner's manager, when the discount is over 20 %), 财务审批 (any finance user),
/// 总经理 (both bosses, when the amount is over 5000 or the margin under 15 %).
final class ApprovalFixture: @unchecked Sendable {
    let f: ExampleFixture
    var ids: [String: Int64] = [:]

    static let flow = """
        crm.approvals.flow("warranty_refund", {
          steps = {
            { name = "经理审批", approver = "manager", when = function(doc) return (doc.discount_pct or 0) > 20 end },
            { name = "财务审批", approver = { role = "finance" } },
            { name = "总经理", approver = { all_of = { "boss", "boss2" } },
              when = function(doc) return doc.amount > 5000 or (doc.margin_pct or 100) < 15 end },
          }
        })
        """

    init(flow: String = ApprovalFixture.flow) throws {
        f = try ExampleFixture()
        let store = f.host.workspace.store
        try store.write(as: .system) { tx in
            for (name, role) in [("mgr", "sales_manager"), ("fin1", "finance"), ("fin2", "finance"), ("boss2", "admin"), ("other", "sales_rep")] {
                _ = try tx.create("user", ["name": .text(name), "role": .text(role)])
            }
            for user in try tx.reader.find(Query("user", limit: 100)).records { ids[user["name"].textValue ?? ""] = user.id }
            try tx.update("user", ids["rep"]!, ["manager": .integer(ids["mgr"]!)])
        }
        let accounts = Accounts(store: store)
        for name in ["mgr", "fin1", "fin2", "boss2", "other"] {
            f.tokens[name] = try accounts.createToken(for: name, label: "test", expiresAt: try TokenLifetime.expiry(days: nil, field: "days"), by: .system).token
        }
        try write("90_approvals.lua", flow)
        try f.host.reload()
    }

    var store: RecordStore { f.host.workspace.store }

    /// Writes a file of the company's pack (not loaded until `reload`).
    func write(_ file: String, _ source: String) throws {
        try source.write(to: f.host.workspace.scriptsDirectory.appendingPathComponent(file), atomically: true, encoding: .utf8)
    }

    /// `name`'s access guard.
    func access(_ name: String) throws -> AccessGuard {
        let user = ActingUser(id: ids[name], name: name, role: try store.get("user", ids[name]!)?["role"].textValue)
        return try store.read { try AccessGuard(user: user, schema: $0.schema, reader: $0) }
    }

    /// Reads with `name`'s access guard (resolved before the read: reads do not nest).
    func read<T>(as name: String, _ body: (RecordReader, AccessGuard) throws -> T) throws -> T {
        let guardian = try access(name)
        return try store.read { try body($0, guardian) }
    }

    /// Runs `body` in a write transaction as `name`, under their access.
    func act<T>(_ name: String, _ body: (WriteContext) throws -> T) throws -> T {
        try store.write(as: try access(name), body)
    }

    /// A refund the rep files, in 草稿.
    func refund(amount: String = "1000", cost: String = "500", discount: String = "0", by name: String = "rep") throws -> Int64 {
        try act(name) { tx in
            try tx.create("warranty_refund", ["amount": .text(amount), "cost": .text(cost), "discount_pct": .text(discount)]).id
        }
    }

    /// The refund's status.
    func status(_ refund: Int64) throws -> String? { try store.get("warranty_refund", refund)?["status"].textValue }

    /// What a refund's approvals left behind, to prove a refused operation wrote nothing: its
    /// approvals with their statuses and decision counts, the notifications, the outbox and its status.
    func trace(_ refund: Int64) throws -> [String] {
        let history = try store.read { try Approvals.history("warranty_refund", refund, in: $0, as: .unrestricted) }
        return history.map { "\($0.id):\($0.status.rawValue):\($0.decisions.count):\($0.steps.map(\.status.rawValue))" }
            + ["notifications \(try store.count("notification"))", "outbox \(try store.outbox(after: 0, limit: 100_000).count)",
               "status \(try status(refund) ?? "-")"]
    }
}
