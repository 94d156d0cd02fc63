import CRMKernel
import Foundation

/// `crm.orders.*` documents and workflow (also `POST /api/v1/actions/orders/<name>`), each
/// with the access it needs. Documented in the module's README and docs/lua-api.md.
enum OrderScriptFunctions {
    typealias A = ScriptArguments

    static var all: [ScriptFunction] { documents + workflow + OrderReportFunctions.all }

    static var documents: [ScriptFunction] {
        [
            ScriptFunction("save_order", summary: "crm.orders.save_order{id?, customer, ..., order_discount, lines = {{product, quantity, ...}}} → the order with its totals",
                           effect: .write, access: .update("order")) { call in
                let d = try A.document(call[0], "save_order")
                return .record(try call.write { try OrderService.save($0, entity: "order", id: d.id, header: d.header, lines: d.lines) })
            },
            ScriptFunction("save_quote", summary: "crm.orders.save_quote{id?, customer, opportunity, ..., lines = {...}} → the quote with its totals",
                           effect: .write, access: .update("quote")) { call in
                let d = try A.document(call[0], "save_quote")
                return .record(try call.write { try OrderService.save($0, entity: "quote", id: d.id, header: d.header, lines: d.lines) })
            },
            ScriptFunction("add_line", summary: "crm.orders.add_line(\"order\"|\"quote\", id, {product, quantity, sales_price?, discount?, ...}) → the line (priced, cost frozen)",
                           effect: .write, access: .read("order_line")) { call in
                guard let entity = call[0].text, ["order", "quote"].contains(entity) else {
                    throw KernelError(.validation, "crm.orders.add_line needs \"order\" or \"quote\" first")
                }
                let id = try A.id(call, 1, "add_line", "a document")
                let values = try A.values(call[2], "add_line", "line")
                return .record(try call.write { try OrderService.addLine($0, entity: entity, id: id, values) })
            },
            ScriptFunction("update_line", summary: "crm.orders.update_line(line_id, {quantity, discount, ...}) → the line",
                           effect: .write, access: .read("order_line")) { call in
                let id = try A.id(call, 0, "update_line", "a line")
                let values = try A.values(call[1], "update_line")
                return .record(try call.write { try OrderService.updateLine($0, id, values) })
            },
            ScriptFunction("remove_line", summary: "crm.orders.remove_line(line_id) → true",
                           effect: .write, access: .read("order_line")) { call in
                let id = try A.id(call, 0, "remove_line", "a line")
                try call.write { try OrderService.removeLine($0, id) }
                return .value(.bool(true))
            },
            ScriptFunction("lines", summary: "crm.orders.lines(\"order\"|\"quote\", id) → the lines in position order",
                           effect: .read, access: .read("order_line")) { call in
                guard let entity = call[0].text, ["order", "quote"].contains(entity) else {
                    throw KernelError(.validation, "crm.orders.lines needs \"order\" or \"quote\" first")
                }
                let id = try A.id(call, 1, "lines", "a document")
                return .list(try call.read { reader in
                    guard try reader.exists(entity, id) else { throw KernelError.recordNotFound(entity, id) }
                    return try OrderDocuments.lines(reader.acting(as: nil), OrderDocuments.Ref(entity: entity, id: id)).map { .record(reader.access.redact($0)) }
                })
            },
            ScriptFunction("compute", summary: "crm.orders.compute{lines = {{quantity, sales_price, discount, tax_rate, unit_cost, list_price}}, order_discount, rounding} → the figures (fen)",
                           effect: .read, access: .read("order")) { call in
                let d = try A.document(call[0], "compute")
                let rule = try d.header["rounding"]?.textValue.map { text in
                    guard let r = RoundingRule(rawValue: text) else { throw KernelError(.validation, "crm.orders.compute: rounding is \"line\" or \"total\"") }
                    return r
                } ?? call.read { OrderSettings.current($0.schema).rounding }
                let figures = OrderMath.compute((d.lines ?? []).map(LineRules.input),
                                                orderDiscountPercent: d.header["order_discount"]?.decimalValue ?? 0, rule: rule)
                return OrderFigures.script(figures)
            },
            ScriptFunction("new_version", summary: "crm.orders.new_version(quote_id [, fields]) → the new quote version (lines copied; the old one read-only)",
                           effect: .write, access: .update("quote", recordArguments: [0])) { call in
                let id = try A.id(call, 0, "new_version", "a quote")
                let fields = try A.values(call[1], "new_version")
                return .record(try call.write { try QuoteActions.newVersion($0, id, fields: fields) })
            },
            ScriptFunction("convert", summary: "crm.orders.convert(quote_id [, fields]) → the order made from the quote, with its lines",
                           effect: .write, access: .create("order")) { call in
                let id = try A.id(call, 0, "convert", "a quote")
                let fields = try A.values(call[1], "convert")
                return .record(try call.write { tx in
                    guard try tx.reader.exists("quote", id) else { throw KernelError.recordNotFound("quote", id) }
                    return try QuoteActions.toOrder(tx, id, fields: fields)
                })
            },
            ScriptFunction("from_opportunity", summary: "crm.orders.from_opportunity(opportunity_id [, fields]) → the order of a won opportunity (its quote's lines, or its amount)",
                           effect: .write, access: .create("order")) { call in
                let id = try A.id(call, 0, "from_opportunity", "an opportunity")
                let fields = try A.values(call[1], "from_opportunity")
                return .record(try call.write { try OpportunityLink.toOrder($0, opportunity: id, fields: fields) })
            },
            ScriptFunction("versions", summary: "crm.orders.versions(order_id) → {{version, order = {...}, lines = {...}}, ...}: the kept versions, then the current one",
                           effect: .read, access: .read("order", recordArguments: [0])) { call in
                let id = try A.id(call, 0, "versions", "an order")
                return try call.read { reader in
                    guard let order = try reader.get("order", id) else { throw KernelError.recordNotFound("order", id) }
                    let hidden = reader.access.hiddenFields("order").union(reader.access.hiddenFields("order_line"))
                    var out = try OrderRevisions.list(reader.acting(as: nil), order: id).map { try OrderRevisions.decode($0, hiding: hidden) }
                    let lines = try OrderDocuments.lines(reader.acting(as: nil), OrderDocuments.Ref(entity: "order", id: id))
                    out.append(.table(["version": .value(order["doc_version"]), "order": .record(reader.access.redact(order)),
                                       "lines": .list(lines.map { .record(reader.access.redact($0)) }), "current": .value(.bool(true))]))
                    return .list(out)
                }
            },
        ]
    }

    static var workflow: [ScriptFunction] {
        func move(_ name: String, _ summary: String, reason: String? = nil,
                  _ body: @escaping @Sendable (WriteContext, Int64, String) throws -> Record) -> ScriptFunction {
            ScriptFunction(name, summary: summary, effect: .write, access: .update("order", recordArguments: [0])) { call in
                let id = try A.id(call, 0, name, "an order")
                let text = call[1].text ?? ""
                return .record(try call.write { tx in
                    guard try tx.reader.exists("order", id) else { throw KernelError.recordNotFound("order", id) }
                    return try body(tx, id, text)
                })
            }
        }
        return [
            move("submit", "crm.orders.submit(id) → the order 审批中 (its approval flow started)") { tx, id, _ in try OrderApprovals.submit(tx, id) },
            move("withdraw", "crm.orders.withdraw(id) → the order back in 草稿 (its pending approval withdrawn)") { tx, id, _ in try OrderApprovals.withdraw(tx, id) },
            move("start", "crm.orders.start(id) → the order 执行中 (stock taken when the stock policy says so)") { tx, id, _ in try OrderWorkflow.start(tx, id) },
            move("complete", "crm.orders.complete(id) → the order 已完成") { tx, id, _ in try OrderWorkflow.complete(tx, id) },
            move("void", "crm.orders.void(id, reason) → the order 作废 (stock released)") { tx, id, reason in try OrderWorkflow.void(tx, id, reason: reason) },
            move("take_stock", "crm.orders.take_stock(id) → the order with its stocked lines taken out of stock (出库, when the stock policy says by hand)") { tx, id, _ in
                let (order, settings) = try OrderWorkflow.load(tx, id)
                try OrderWorkflow.expect(order, in: ["approved", "executing", "completed"], settings, doing: "take stock")
                try OrderStock.take(tx, order)
                return try tx.reader.get("order", id) ?? order
            },
            move("change", "crm.orders.change(id, reason) → the order reopened as a 变更 (version + 1; the approved version kept)") { tx, id, reason in
                try OrderWorkflow.change(tx, id, reason: reason)
            },
        ]
    }
}

/// Figures as Lua sees them: integer fen and percentages as decimal strings.
enum OrderFigures {
    static func script(_ f: DocumentFigures) -> ScriptValue {
        let lines: [ScriptValue] = f.lines.map { l in
            ScriptArguments.table(["amount": .integer(l.amountFen), "net": .integer(l.netFen), "tax": .integer(l.taxFen), "cost": .integer(l.costFen),
                                   "margin": .integer(l.marginFen), "list_amount": .integer(l.listAmountFen)])
        }
        var t = ["list_total": ScriptValue.value(.integer(f.listTotalFen)), "subtotal": .value(.integer(f.subtotalFen)),
                 "discount_amount": .value(.integer(f.discountFen)), "total": .value(.integer(f.totalFen)), "tax": .value(.integer(f.taxFen)),
                 "cost": .value(.integer(f.costFen)), "margin": .value(.integer(f.marginFen)), "discount_percent": .value(.text(f.discountPercent.description)),
                 "lines": .list(lines)]
        t["margin_percent"] = f.marginPercent.map { .value(.text($0.description)) } ?? .null
        return .table(t)
    }
}
