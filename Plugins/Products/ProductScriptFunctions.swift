import CRMKernel
import Foundation

/// `crm.products.*` (besides the policy `crm.products.price` and the setting
/// `crm.products.stock_policy`): stock levels and moves, pricing facts, variants and images.
enum ProductScriptFunctions {
    static var all: [ScriptFunction] { [available, receive, adjustStock, priceFacts, generateVariants] + ProductImages.functions }

    /// `crm.products.available(product [, warehouse])`.
    static var available: ScriptFunction {
        ScriptFunction("available", summary: "crm.products.available(product [, warehouse]) → {on_hand, reserved, available} (decimal strings)",
                       effect: .read, access: .read("stock_move")) { call in
            let product = try ScriptArguments.requiredID(call[0], field: "product", entity: "stock_move")
            let warehouse = try ScriptArguments.id(call[1], field: "warehouse", entity: "stock_move")
            return ScriptArguments.level(try call.read { try StockLedger.available($0, product: product, warehouse: warehouse) })
        }
    }

    /// `crm.products.receive{product, warehouse, quantity, note}`.
    static var receive: ScriptFunction {
        ScriptFunction("receive", summary: "crm.products.receive{product, warehouse, quantity = \"10\", note} → the 入库 move",
                       effect: .write, access: .create("stock_move")) { call in
            let args = try ScriptArguments.table(call, 0, "receive")
            let product = try ScriptArguments.requiredID(args["product"], field: "product", entity: "stock_move")
            let warehouse = try ScriptArguments.requiredID(args["warehouse"], field: "warehouse", entity: "stock_move")
            guard let quantity = try ScriptArguments.decimal(args["quantity"], field: "quantity", entity: "stock_move") else {
                throw KernelError.invalid("stock_move", field: "quantity", "is required")
            }
            return .record(try call.write { tx in
                try StockLedger.receive(tx, product: product, warehouse: warehouse, quantity: quantity, note: ScriptArguments.text(args["note"]))
            })
        }
    }

    /// `crm.products.adjust_stock{product, warehouse, delta, reason}`.
    static var adjustStock: ScriptFunction {
        ScriptFunction("adjust_stock", summary: "crm.products.adjust_stock{product, warehouse, delta = \"-2\", reason = \"盘点盘亏\"} → the 盘点调整 move",
                       effect: .write, access: .create("stock_move")) { call in
            let args = try ScriptArguments.table(call, 0, "adjust_stock")
            let product = try ScriptArguments.requiredID(args["product"], field: "product", entity: "stock_move")
            let warehouse = try ScriptArguments.requiredID(args["warehouse"], field: "warehouse", entity: "stock_move")
            guard let delta = try ScriptArguments.decimal(args["delta"], field: "quantity", entity: "stock_move") else {
                throw KernelError.invalid("stock_move", field: "quantity", "delta is required")
            }
            guard let reason = ScriptArguments.text(args["reason"]) else {
                throw KernelError.invalid("stock_move", field: "note", "盘点调整必须填写原因 (reason)")
            }
            return .record(try call.write { tx in try StockLedger.adjust(tx, product: product, warehouse: warehouse, delta: delta, reason: reason) })
        }
    }

    /// `crm.products.price_facts{product, customer, quantity, date, channel}`.
    static var priceFacts: ScriptFunction {
        ScriptFunction("price_facts",
                       summary: "crm.products.price_facts{product, customer, quantity, date, channel} → {list_price (fen), quantity_milli, books = {{name, priority, rounding (fen), discount_bp, entries = {{min_quantity_milli, price | discount_bp}}}}}",
                       effect: .read, access: .read("product")) { call in
            let request = try PriceRequest(try ScriptArguments.table(call, 0, "price_facts"))
            return try call.read { reader in
                try PriceFacts.collect(reader, product: request.product, customer: request.customer, channel: request.channel,
                                       quantity: request.quantity, date: request.date).scriptValue
            }
        }
    }

    /// `crm.products.generate_variants(product, attributes [, {adjust = {XL = 2000}}])`.
    static var generateVariants: ScriptFunction {
        ScriptFunction("generate_variants",
                       summary: "crm.products.generate_variants(product, {{name = \"颜色\", values = {\"红\", \"蓝\"}}, ...} [, {adjust = {XL = 2000}}]) → the variants created",
                       effect: .write, access: .create("product")) { call in
            let parent = try ScriptArguments.requiredID(call[0], field: "parent", entity: "product")
            let attributes = try attributeList(call[1])
            var adjustments: [String: Int64] = [:]
            for (value, fen) in call[2].fields?["adjust"]?.fields ?? [:] {
                guard let fen = fen.integer else { throw KernelError.invalid("product", field: "price_adjustment", "adjust.\(value): expects whole fen") }
                adjustments[value] = fen
            }
            let created = try call.write { try Variants.generate($0, parent: parent, attributes: attributes, adjustments: adjustments) }
            return .list(created.map(ScriptValue.record))
        }
    }

    /// Attributes as a list of `{name =, values =}` (kept in order) or a table name → values
    /// (in name order).
    static func attributeList(_ value: ScriptValue) throws -> [Variants.Attribute] {
        func values(_ v: ScriptValue?, _ name: String) throws -> [String] {
            guard case .list(let items)? = v else { throw KernelError.invalid("product", field: "attributes", "\(name): expects a list of values") }
            return try items.map { item in
                switch item {
                case .value(.text(let s)): return s
                case .value(.integer(let i)): return String(i)
                default: throw KernelError.invalid("product", field: "attributes", "\(name): values must be text")
                }
            }
        }
        switch value {
        case .list(let items):
            return try items.map { item in
                guard let fields = item.fields, let name = fields["name"]?.text else {
                    throw KernelError.invalid("product", field: "attributes", "each attribute needs a name and values")
                }
                return Variants.Attribute(name, try values(fields["values"], name))
            }
        case .table(let table):
            return try table.keys.sorted().map { Variants.Attribute($0, try values(table[$0], $0)) }
        default:
            throw KernelError.invalid("product", field: "attributes", "expects a list of {name, values}")
        }
    }
}

/// The arguments of a price: `{product, customer, quantity, date, channel}`.
struct PriceRequest {
    var product: Int64
    var customer: Int64?
    var quantity: Decimal
    var date: String
    var channel: String?

    init(_ args: [String: ScriptValue]) throws {
        product = try ScriptArguments.requiredID(args["product"], field: "product", entity: "product")
        customer = try ScriptArguments.id(args["customer"], field: "customer", entity: "product")
        quantity = try ScriptArguments.decimal(args["quantity"], field: "quantity", entity: "product") ?? 1
        guard let date = ScriptArguments.text(args["date"]) else { throw KernelError.invalid("product", field: "date", "is required (YYYY-MM-DD)") }
        self.date = date
        channel = ScriptArguments.text(args["channel"])
    }
}
