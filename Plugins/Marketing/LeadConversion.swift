import CRMCustomers
import CRMKernel
import Foundation

/// Converting a lead (线索转化): into a new customer, or the existing one the customers module's
/// 查重 finds; a contact; optionally an opportunity. Follow-ups and tasks move to the customer,
/// the lead is locked 已转化 and linked to what it became, all in one transaction.
enum LeadConversion {
    /// What one conversion made.
    struct Result {
        var lead: Int64
        var customer: Int64
        var existingCustomer: Bool
        var contact: Int64
        var opportunity: Int64?
        /// Non-empty lead fields no map names (kept in the contact's notes).
        var unmapped: [String]

        var value: ScriptValue {
            .table([
                "lead": .value(.integer(lead)), "customer": .value(.integer(customer)), "existing_customer": .value(.bool(existingCustomer)),
                "contact": .value(.integer(contact)), "opportunity": opportunity.map { .value(.integer($0)) } ?? .null,
                "unmapped": .list(unmapped.map { .value(.text($0)) }),
            ])
        }
    }

    /// Converts lead `id` in `tx`; `opportunity` (name, amount in fen ...) adds an opportunity.
    static func convert(_ tx: WriteContext, lead id: Int64, opportunity: [String: Value]?) throws -> Result {
        guard let lead = try tx.reader.get("lead", id) else { throw KernelError.recordNotFound("lead", id) }
        if lead["status"] == .text(MarketingStatus.converted) {
            let into = lead["customer"].integerValue.map { " into customer \($0)" } ?? ""
            throw KernelError(.invalidState, "lead \(id) is already converted (已转化)\(into)", entity: "lead",
                              fieldErrors: [FieldError(field: "status", message: "已转化")])
        }
        if lead["status"] == .text(MarketingStatus.invalid) {
            throw KernelError(.invalidState, "lead \(id) is marked invalid (无效); change its status before converting", entity: "lead")
        }
        let map = ConversionMap.inForce(tx.schema)
        try map.check(tx.schema)
        let owner = lead["owner"] == .null ? tx.user.id.map(Value.integer) ?? .null : lead["owner"]
        func mapped(_ pairs: [String: String]) -> [String: Value] {
            var out: [String: Value] = [:]
            for (from, to) in pairs where !lead[from].isEmpty && out[to] == nil { out[to] = lead[from] }
            return out
        }
        var customerValues = mapped(map.customer)
        if customerValues["name"] == nil { customerValues["name"] = lead["company"].isEmpty ? lead["name"] : lead["company"] }
        if customerValues["contact_name"] == nil { customerValues["contact_name"] = lead["name"] }
        if let source = lead["source"].textValue {
            customerValues["source"] = .text(map.sources[source] ?? source)
        }
        for (field, value) in map.customerDefaults where customerValues[field] == nil { customerValues[field] = .text(value) }
        customerValues["owner"] = owner

        let used = Set(map.customer.keys).union(map.contact.keys).union(map.opportunity.keys)
        let unmapped = lead.values.keys.filter { !used.contains($0) && !ConversionMap.bookkeeping.contains($0) && !lead[$0].isEmpty }.sorted()

        return try tx.asSystem {
            var existing = false
            let customerID: Int64
            if let match = try CustomerDuplicates.find(tx.reader.system, customerValues, limit: 1).first {
                customerID = match.id
                existing = true
            } else {
                try checkCustomerCap(tx, owner: owner)
                customerID = try tx.create("customer", customerValues).id
            }
            var contactValues = mapped(map.contact)
            contactValues["customer"] = .integer(customerID)
            contactValues["owner"] = owner
            if contactValues["name"] == nil { contactValues["name"] = lead["name"] }
            if !unmapped.isEmpty {
                let kept = unmapped.map { "\(tx.schema.entities["lead"]?.fieldsByName[$0]?.label.zh ?? $0)：\(lead[$0].description)" }
                contactValues["notes"] = .text((["线索转化时未映射的字段："] + kept).joined(separator: "\n"))
            }
            let contactID = try tx.create("contact", contactValues).id
            var opportunityID: Int64? = nil
            if let opportunity {
                var values = mapped(map.opportunity).merging(opportunity) { _, given in given }
                values["customer"] = .integer(customerID)
                values["contact"] = .integer(contactID)
                values["owner"] = owner
                if values["name"] == nil { values["name"] = .text("\(customerValues["name"]?.textValue ?? "")·\(lead["product_interest"].textValue ?? "商机")") }
                opportunityID = try tx.create("opportunity", values).id
            }
            for followup in try tx.reader.system.find(Query("followup", filter: .eq("lead", .integer(id)), limit: 10_000)).records {
                _ = try tx.update("followup", followup.id, ["customer": .integer(customerID)])
            }
            for task in try tx.reader.system.find(Query("task", filter: .eq("lead", .integer(id)), limit: 10_000)).records {
                _ = try tx.update("task", task.id, ["customer": .integer(customerID)])
            }
            var lock: [String: Value] = ["status": .text(MarketingStatus.converted), "customer": .integer(customerID), "contact": .integer(contactID),
                                         "converted_at": .datetime(tx.now)]
            if lead["owner"] == .null { lock["owner"] = owner }
            if let opportunityID { lock["opportunity"] = .integer(opportunityID) }
            _ = try tx.update("lead", id, lock)
            return Result(lead: id, customer: customerID, existingCustomer: existing, contact: contactID, opportunity: opportunityID, unmapped: unmapped)
        }
    }

    /// The customers module's cap on customers one owner holds (`max_held` of the 公海 rules).
    static func checkCustomerCap(_ tx: WriteContext, owner: Value) throws {
        guard case .integer(let user) = owner else { return }
        let cap = PoolRules.inForce(tx.schema).maxHeld
        let held = try tx.reader.system.count("customer", filter: .eq("owner", .integer(user)))
        guard held < cap else {
            throw KernelError(.forbidden, "the lead's owner holds \(held) customers, the most allowed is \(cap); release some or give the lead to someone else",
                              entity: "customer", fieldErrors: [FieldError(field: "owner", message: "customer cap reached")])
        }
    }

    /// `crm.marketing.convert` and `convert_many`.
    static var functions: [ScriptFunction] {
        [
            ScriptFunction("convert", summary: "crm.marketing.convert(lead_id, {opportunity = {name =, amount =}}) → {customer =, contact =, opportunity =, unmapped =}",
                           effect: .write, access: .update("lead", recordArguments: [0])) { call in
                guard let id = call[0].integer else { throw KernelError(.validation, "crm.marketing.convert needs a lead id") }
                let options = try opportunityOptions(call[1])
                return try call.write { try convert($0, lead: id, opportunity: options).value }
            },
            ScriptFunction("convert_many", summary: "crm.marketing.convert_many({ids}) → one result or error per lead (each lead on its own)",
                           effect: .write, access: .update("lead")) { call in
                guard case .list(let items) = call[0] else { throw KernelError(.validation, "crm.marketing.convert_many expects a list of lead ids") }
                return .list(try items.map { item in
                    guard let id = item.integer else { return .table(["error": .value(.text("not a lead id"))]) }
                    do {
                        return try call.write { tx in
                            if let access = call.access, let record = try tx.reader.get("lead", id), !access.canSee(record, try tx.schema.entity("lead")) {
                                throw KernelError.recordNotFound("lead", id)
                            }
                            return try tx.isolated { try convert(tx, lead: id, opportunity: nil).value }
                        }
                    } catch let error as KernelError {
                        return .table(["lead": .value(.integer(id)), "error": .value(.text(error.message))])
                    }
                })
            },
        ]
    }

    private static func opportunityOptions(_ value: ScriptValue) throws -> [String: Value]? {
        guard let t = value.fields, let o = t["opportunity"] else { return nil }
        if case .value(.bool(true)) = o { return [:] }
        guard let fields = o.fields else { throw KernelError(.validation, "opportunity: expects true or {name = ..., amount = ...}") }
        var values: [String: Value] = [:]
        for (key, v) in fields { if case .value(let value) = v { values[key] = value } }
        return values
    }
}
