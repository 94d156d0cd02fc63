import CRMKernel
import Foundation

/// `crm orders pending|ending|sales|void`: what an operator needs from the command line.
enum OrderCommands {
    static var all: [PluginCommand] { [pending, ending, sales, void] }

    /// `crm orders pending`.
    static var pending: PluginCommand {
        PluginCommand(["pending"], summary: "List the orders waiting for approval (审批中), oldest first.") { context in
            let orders = try context.store.read(as: context.access) { try OrderReports.waitingForApproval($0) }
            context.output.table(header: ["id", "number", "customer", "total", "submitted_at"],
                                 rows: orders.map { [String($0.id), $0["number"].description, $0["customer"].description, $0["total"].description, $0["submitted_at"].description] })
            context.output.line("\(orders.count) order(s) waiting for approval")
        }
    }

    /// `crm orders ending [--days N]`.
    static var ending: PluginCommand {
        PluginCommand(["ending"], summary: "List the approved or executing contracts that end within N days (default 30).",
                      options: [CommandOption("days", valueName: "N", help: "Days ahead (default 30).")]) { context in
            let days = try context.arguments.option("days").map { text in
                guard let n = Int(text), n >= 0, n <= 3660 else { throw KernelError(.validation, "--days: expects a whole number of days 0…3660") }
                return n
            } ?? ContractReminders.days
            let orders = try context.store.read(as: context.access) { r in try OrderReports.endingWithin(r, days: days, today: try ContractReminders.today(r, Date())) }
            context.output.table(header: ["id", "number", "title", "end_date", "owner"],
                                 rows: orders.map { [String($0.id), $0["number"].description, $0["title"].description, $0["end_date"].description, $0["owner"].description] })
            context.output.line("\(orders.count) contract(s) ending within \(days) day(s)")
        }
    }

    /// `crm orders sales --from DAY --to DAY [--by product|category|rep]`.
    static var sales: PluginCommand {
        PluginCommand(["sales"], summary: "Sales by product (quantity, amount, margin) over a period.",
                      options: [CommandOption("from", valueName: "YYYY-MM-DD", help: "First day."),
                                CommandOption("to", valueName: "YYYY-MM-DD", help: "Last day."),
                                CommandOption("by", valueName: "product|category|rep", help: "Grouping (default product).")]) { context in
            guard let from = context.arguments.option("from"), let to = context.arguments.option("to") else {
                throw KernelError(.validation, "--from and --to are required (YYYY-MM-DD)")
            }
            let byText = context.arguments.option("by") ?? "product"
            guard let by = SalesByProduct.Grouping(rawValue: byText) else { throw KernelError(.validation, "--by: expects product, category or rep") }
            let rows = try context.store.read(as: context.access) { try SalesByProduct.run($0, by: by, from: from, to: to) }
            context.output.table(header: [byText, "quantity", "amount", "margin", "lines"], rows: rows.map {
                [$0.key.description, $0.quantity.description, Value.money($0.amountFen).description,
                 $0.marginFen.map { Value.money($0).description } ?? "-", String($0.lines)]
            })
        }
    }

    /// `crm orders void ID --reason TEXT [--as USER]`.
    static var void: PluginCommand {
        PluginCommand(["void"], summary: "Void an order with a reason (reserved stock is released).",
                      arguments: [CommandArgument("ORDER_ID", help: "The order's id.")],
                      options: [CommandOption("reason", valueName: "TEXT", help: "Why (required).")], actsAsUser: true) { context in
            let id = try context.arguments.integer("ORDER_ID")
            let record = try context.store.write(as: context.user, access: context.access) { tx in
                try tx.access.require(.update, on: "order")
                guard try tx.reader.exists("order", id) else { throw KernelError.recordNotFound("order", id) }
                return try OrderWorkflow.void(tx, id, reason: context.arguments.option("reason") ?? "")
            }
            context.output.line("order \(record.id) \(record["number"]): \(record["status"])")
        }
    }
}
