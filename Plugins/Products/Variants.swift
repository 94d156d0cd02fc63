import CRMKernel
import Foundation

/// Variants (SKU): product rows with `parent` set, one per combination of attribute values
/// (颜色 × 尺寸 …). A variant copies its parent's shared fields and its list price is the
/// parent's plus its own `price_adjustment`; a before-save hook keeps that true on every save
/// of the variant, and an after-save hook on the parent re-saves its variants when it changes.
public enum Variants {
    /// The fields a variant always takes from its parent.
    public static let sharedFields = ["category", "unit", "tax_rate", "kind", "decimal_quantity", "specification", "description"]

    /// One attribute axis: its name and its values, in order.
    public struct Attribute: Sendable, Hashable {
        /// 颜色.
        public var name: String
        /// 红, 蓝 ...
        public var values: [String]

        /// Creates an axis.
        public init(_ name: String, _ values: [String]) {
            self.name = name
            self.values = values
        }
    }

    static var hooks: HookSet {
        var set = HookSet()
        set.onBeforeSave("product") { ctx in try followParent(&ctx) }
        set.onAfterSave("product") { ctx in
            guard ctx.operation == .update, ctx.record["parent"].integerValue == nil else { return }
            guard (sharedFields + ["list_price", "name"]).contains(where: ctx.changed) else { return }
            let children = try ctx.tx.reader.system.find(Query("product", filter: .eq("parent", .integer(ctx.record.id)), limit: 10_000)).records
            for child in children { _ = try ctx.tx.update("product", child.id, [:]) }
        }
        return set
    }

    /// Before-save: a variant takes its parent's shared fields, name and price.
    static func followParent(_ ctx: inout SaveContext) throws {
        guard ctx.operation != .delete, let parentID = ctx.values["parent"]?.integerValue else { return }
        if parentID == ctx.id { ctx.reject("parent", "产品不能是它自己的主产品"); return }
        guard let parent = try ctx.tx.reader.system.get("product", parentID) else { return }  // reference check follows
        if parent["parent"].integerValue != nil { ctx.reject("parent", "变体不能再有变体（主产品 \(parent["code"]) 本身是变体）"); return }
        if let id = ctx.id, try ctx.tx.reader.system.count("product", filter: .eq("parent", .integer(id))) > 0 {
            ctx.reject("parent", "有变体的产品不能成为别的产品的变体"); return
        }
        for field in sharedFields { ctx.values[field] = parent[field] }
        let adjustment = ctx.values["price_adjustment"]?.decimalValue ?? 0
        let price = (parent["list_price"].decimalValue ?? 0) + adjustment
        if price < 0 { ctx.reject("price_adjustment", "加价后目录价为负"); return }
        ctx.values["list_price"] = .decimal(price)
        if ctx.values["cost_price"]?.isEmpty ?? true { ctx.values["cost_price"] = parent["cost_price"] }
        let label = ctx.values["variant_label"]?.textValue ?? ""
        ctx.values["name"] = .text(label.isEmpty ? (parent["name"].textValue ?? "") : "\(parent["name"]) \(label)")
    }

    /// Creates the variants of `parent` for every combination of `attributes` that it does not
    /// have yet (by label, `红/L`): code `<parent code>-红-L`, price adjustment the sum of
    /// `adjustments` (fen) of its values. Returns the variants created, in order.
    public static func generate(_ tx: WriteContext, parent parentID: Int64, attributes: [Attribute],
                                adjustments: [String: Int64] = [:]) throws -> [Record] {
        guard let parent = try tx.reader.get("product", parentID) else { throw KernelError.recordNotFound("product", parentID) }
        guard parent["parent"].integerValue == nil else {
            throw KernelError(.validation, "product \(parent["code"]) is itself a variant", entity: "product",
                              fieldErrors: [FieldError(field: "parent", message: "变体不能再生成变体")])
        }
        var errors: [FieldError] = []
        if attributes.isEmpty { errors.append(FieldError(field: "attributes", message: "至少需要一个属性")) }
        for attribute in attributes where attribute.values.isEmpty || attribute.name.isEmpty {
            errors.append(FieldError(field: "attributes", message: "属性 \(attribute.name) 没有取值"))
        }
        for attribute in attributes where Set(attribute.values).count != attribute.values.count {
            errors.append(FieldError(field: "attributes", message: "属性 \(attribute.name) 的取值有重复"))
        }
        let combinations = attributes.reduce([[String]]([[]])) { partial, attribute in
            partial.flatMap { prefix in attribute.values.map { prefix + [$0] } }
        }
        if combinations.count > 1000 { errors.append(FieldError(field: "attributes", message: "组合数 \(combinations.count) 超过 1000")) }
        guard errors.isEmpty else { throw KernelError.invalid("product", errors) }
        let existing = Set(try tx.reader.system.find(Query("product", filter: .eq("parent", .integer(parentID)), limit: 10_000))
            .records.compactMap { $0["variant_label"].textValue })
        var created: [Record] = []
        for values in combinations {
            let label = values.joined(separator: "/")
            guard !existing.contains(label) else { continue }
            let adjustment = values.reduce(Int64(0)) { $0 + (adjustments[$1] ?? 0) }
            created.append(try tx.create("product", [
                "code": .text("\(parent["code"])-" + values.joined(separator: "-")), "parent": .integer(parentID),
                "variant_label": .text(label), "price_adjustment": .decimal(Money.yuan(adjustment)),
                "status": parent["status"],
            ]))
        }
        return created
    }
}
