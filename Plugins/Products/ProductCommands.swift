import CRMKernel
import Foundation

/// `crm products stock CODE` (levels per warehouse) and `crm products adjust CODE WAREHOUSE DELTA
/// --reason TEXT` (an inventory adjustment), for an operator at the shell.
enum ProductCommands {
    static var all: [PluginCommand] { [stock, adjust] }

    /// `crm products stock CODE [--as USER]`.
    static var stock: PluginCommand {
        PluginCommand(["stock"], summary: "Show a product's stock per warehouse: on hand, reserved, available.",
                      arguments: [CommandArgument("CODE", help: "The product code.")], actsAsUser: true) { context in
            let code = context.arguments.argument("CODE") ?? ""
            let rows: [[String]] = try context.store.read(as: context.access) { reader in
                let product = try productID(reader, code: code)
                let warehouses = try reader.find(Query("warehouse", sort: [SortKey("code")], limit: 1000)).records
                var rows = try warehouses.map { warehouse in
                    let level = try StockLedger.available(reader, product: product, warehouse: warehouse.id)
                    return [warehouse["code"].description, warehouse["name"].description, level.onHand.plainString,
                            level.reserved.plainString, level.available.plainString]
                }
                let total = try StockLedger.available(reader, product: product, warehouse: nil)
                rows.append(["", "合计", total.onHand.plainString, total.reserved.plainString, total.available.plainString])
                return rows
            }
            context.output.table(header: ["warehouse", "name", "on_hand", "reserved", "available"], rows: rows)
        }
    }

    /// `crm products adjust CODE WAREHOUSE DELTA --reason TEXT [--as USER]`.
    static var adjust: PluginCommand {
        PluginCommand(["adjust"], summary: "Record an inventory adjustment (盘点调整) of a product in a warehouse; a reason is required.",
                      arguments: [CommandArgument("CODE", help: "The product code."),
                                  CommandArgument("WAREHOUSE", help: "The warehouse code."),
                                  CommandArgument("DELTA", help: "The signed change, e.g. -2 or 5.5.")],
                      options: [CommandOption("reason", valueName: "TEXT", help: "Why the count differs (required).")],
                      actsAsUser: true) { context in
            guard let reason = context.arguments.option("reason"), !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw KernelError.invalid("stock_move", field: "note", "--reason is required (盘点调整必须填写原因)")
            }
            let text = context.arguments.argument("DELTA") ?? ""
            guard let delta = try ScriptArguments.decimal(.value(.text(text)), field: "quantity", entity: "stock_move") else {
                throw KernelError.invalid("stock_move", field: "quantity", "DELTA is required")
            }
            let move = try context.store.write(as: context.user, access: context.access) { tx in
                let product = try productID(tx.reader, code: context.arguments.argument("CODE") ?? "")
                let code = context.arguments.argument("WAREHOUSE") ?? ""
                guard let warehouse = try tx.reader.ids("warehouse", where: "code", equals: .text(code), limit: 1).first else {
                    throw KernelError.invalid("stock_move", field: "warehouse", "no warehouse with code '\(code)'")
                }
                try context.access?.require(.create, on: "stock_move")
                return try StockLedger.adjust(tx, product: product, warehouse: warehouse, delta: delta, reason: reason)
            }
            context.output.line("stock move \(move.id): \(move["reason"]) \(move["quantity"]) (\(reason))")
        }
    }

    static func productID(_ reader: RecordReader, code: String) throws -> Int64 {
        guard let id = try reader.ids("product", where: "code", equals: .text(code), limit: 1).first else {
            throw KernelError(.notFound, "no product with code '\(code)'", entity: "product")
        }
        return id
    }
}
