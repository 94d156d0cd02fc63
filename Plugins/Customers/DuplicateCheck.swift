import CRMKernel
import Foundation

/// One existing customer that a record duplicates.
public struct DuplicateMatch: Sendable, Hashable {
    /// The existing customer's id.
    public var id: Int64
    /// Its name.
    public var name: String
    /// What matched.
    public var match: DuplicateRules.Match

    /// The message shown to users: `与客户 #12 深圳华信科技有限公司 重复（名称）`.
    public var message: String { "与客户 #\(id) \(name) 重复（\(match.label)）" }
    /// The message for a user who may not see the existing customer: that it exists and is
    /// someone else's, without its id, name or owner.
    public var messageWithoutDetails: String { "已有重复客户（\(match.label)），由其他销售人员负责" }

    /// `message` when `reader` (acting for the user told) sees the customer, else
    /// `messageWithoutDetails`.
    public func message(for reader: RecordReader) throws -> String {
        try reader.exists("customer", id) ? message : messageWithoutDetails
    }
}

/// The 查重 lookups and the hooks that keep the keys and apply the company's duplicate rules.
///
/// Every lookup is an equality match on an indexed column (`customer.name_key`,
/// `customer.phone_key`, `customer.credit_code`, `contact.phone_key`), never a scan.
public enum CustomerDuplicates {
    static let nameKey = "name_key", phoneKey = "phone_key", warning = "duplicate_warning"

    /// The fields the module adds for 查重: the two keys (maintained by the before-save hook;
    /// whatever a client writes there is replaced; derived from `name` and `phone`, so hidden
    /// with them) and the warning left by `warn` rules.
    static var extensions: [FieldExtension] {
        let help = "由查重规则自动维护（maintained by the duplicate rules）"
        return [
            FieldExtension(entity: "customer", field: FieldDefinition(nameKey, .text, label: LocalizedText("名称查重键", en: "Name key"),
                                                                       indexed: true, help: help).derived(from: ["name"])),
            FieldExtension(entity: "customer", field: FieldDefinition(phoneKey, .text, label: LocalizedText("电话查重键", en: "Phone key"),
                                                                       indexed: true, help: help).derived(from: ["phone"])),
            FieldExtension(entity: "customer", field: FieldDefinition(warning, .text, label: LocalizedText("疑似重复", en: "Possible duplicate"),
                                                                       help: "查重规则为 warn 时记录疑似重复的客户；核实后可清空")),
            FieldExtension(entity: "contact", field: FieldDefinition(phoneKey, .text, label: LocalizedText("电话查重键", en: "Phone key"),
                                                                      indexed: true, help: help).derived(from: ["phone"])),
        ]
    }

    /// The lookup keys of a set of customer fields.
    struct Keys {
        var name: String?
        var phone: String?
        var creditCode: String?

        init(_ values: [String: Value]) {
            name = values["name"]?.textValue.flatMap(DuplicateKeys.name)
            phone = values["phone"]?.textValue.flatMap(DuplicateKeys.phone)
            let code = values["credit_code"]?.textValue?.trimmingCharacters(in: .whitespaces).uppercased()
            creditCode = code?.isEmpty == false ? code : nil
        }
    }

    /// Existing customers that `values` (customer fields) duplicate under the rules in force,
    /// at most `limit` per match, in match order then by id. `excluding` is the record's own id.
    public static func find(_ reader: RecordReader, _ values: [String: Value], excluding: Int64? = nil,
                            limit: Int = 20) throws -> [DuplicateMatch] {
        let keys = Keys(values)
        var found: [DuplicateMatch] = []
        for match in DuplicateRules.inForce(reader.schema).checkedMatches {
            found += try lookup(reader, match, keys, excluding: excluding, limit: limit)
        }
        return found
    }

    /// Customers matching one key: at most two or three index probes, plus a read per hit.
    static func lookup(_ reader: RecordReader, _ match: DuplicateRules.Match, _ keys: Keys, excluding: Int64?,
                       limit: Int) throws -> [DuplicateMatch] {
        var ids: [Int64] = []
        switch match {
        case .name, .phone, .creditCode:
            let (field, key) = match == .name ? (nameKey, keys.name) : match == .phone ? (phoneKey, keys.phone) : ("credit_code", keys.creditCode)
            guard let key else { return [] }
            ids = try reader.ids("customer", where: field, equals: .text(key), limit: limit + 1).filter { $0 != excluding }
        case .contactPhone:
            guard let key = keys.phone else { return [] }
            for contactID in try reader.ids("contact", where: phoneKey, equals: .text(key), limit: limit + 5) {
                guard case .integer(let owner) = try reader.get("contact", contactID)?["customer"] ?? .null,
                      owner != excluding, !ids.contains(owner) else { continue }
                ids.append(owner)
            }
        }
        return try ids.prefix(limit).compactMap { id in
            try reader.get("customer", id).map { DuplicateMatch(id: id, name: $0["name"].textValue ?? "", match: match) }
        }
    }

    /// The `duplicate_warning` text for `values` under the `warn` rules in force (null when none).
    static func warningText(_ reader: RecordReader, _ values: [String: Value], excluding: Int64?) throws -> Value {
        let rules = DuplicateRules.inForce(reader.schema), keys = Keys(values)
        var warnings: [String] = []
        for match in rules.checkedMatches where rules.action(match) == .warn {
            if let hit = try lookup(reader, match, keys, excluding: excluding, limit: 1).first { warnings.append(hit.message) }
        }
        return warnings.isEmpty ? .null : .text(warnings.joined(separator: "；"))
    }

    /// Before-save hooks: keep the keys of customers and contacts, and apply the rules. The
    /// customer check runs after every other hook, so it sees the values company scripts
    /// normalized and a record they reject is reported for that, not as a duplicate.
    static var hooks: HookSet {
        var set = HookSet()
        set.onBeforeSaveLast("customer") { ctx in try check(&ctx) }
        set.onBeforeSaveLast("contact") { ctx in
            guard ctx.operation != .delete else { return }
            ctx.values[phoneKey] = ctx.values["phone"]?.textValue.flatMap(DuplicateKeys.phone).map(Value.text) ?? .null
        }
        return set
    }

    /// Sets the keys, then (when the rules apply to this save) refuses a `block` duplicate with a
    /// conflict naming the field and the existing customer, and records `warn` duplicates in
    /// `duplicate_warning`. On update only changed fields are checked for `block`, and the
    /// warning is recomputed only when the name, phone or credit code changed.
    static func check(_ ctx: inout SaveContext) throws {
        guard ctx.operation != .delete else { return }
        let keys = Keys(ctx.values)
        ctx.values[nameKey] = keys.name.map(Value.text) ?? .null
        ctx.values[phoneKey] = keys.phone.map(Value.text) ?? .null
        let rules = DuplicateRules.inForce(ctx.tx.schema)
        guard rules.applies(ctx.operation, bulk: ctx.tx.isBulk) else { return }
        let isCreate = ctx.operation == .create
        let changed = Set(["name", "phone", "credit_code"].filter { isCreate || ctx.changed($0) })
        guard !changed.isEmpty else { return }
        var blocked: [FieldError] = []
        var warnings: [String] = []
        for match in rules.checkedMatches {
            let action = rules.action(match)
            if action == .block && !changed.contains(match.field) { continue }
            guard let hit = try lookup(ctx.tx.reader, match, keys, excluding: ctx.id, limit: 1).first else { continue }
            // Whoever saves learns of a duplicate, but not the details of one they cannot see.
            let message = try hit.message(for: ctx.tx.reader.acting(as: ctx.tx.caller))
            if action == .block {
                blocked.append(FieldError(field: match.field, message: message))
            } else {
                warnings.append(message)
            }
        }
        if !blocked.isEmpty {
            throw KernelError(.conflict, "duplicate customer", entity: "customer", fieldErrors: blocked)
        }
        ctx.values[warning] = warnings.isEmpty ? .null : .text(warnings.joined(separator: "；"))
    }

    /// `customers.001-duplicate-keys`: fills the keys of customers and contacts stored before
    /// 查重 existed (no duplicate is refused: only unchanged records are re-saved). A record its
    /// hooks refuse keeps empty keys until it is next saved.
    static var migration: PluginMigration {
        PluginMigration(id: "customers.001-duplicate-keys") { tx in
            for (entity, source) in [("customer", "name"), ("customer", "phone"), ("contact", "phone")] {
                let filter = Filter.all([.condition(field: source, op: .isNotEmpty, value: .null),
                                         .condition(field: entity == "customer" && source == "name" ? nameKey : phoneKey, op: .isEmpty, value: .null)])
                var after: String? = nil
                repeat {
                    let page = try tx.reader.find(Query(entity, filter: filter, sort: [SortKey("id")], limit: 500, after: after))
                    for record in page.records {
                        do { try tx.update(entity, record.id, [:]) } catch is KernelError { continue }
                    }
                    after = page.nextCursor
                } while after != nil
            }
        }
    }
}
