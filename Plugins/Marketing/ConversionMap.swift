import CRMKernel

/// How a lead's fields become a customer's, a contact's and an opportunity's, set from Lua with
/// `crm.marketing.conversion_map{...}` (a company's custom lead fields map like the stock ones).
/// A non-empty lead field no map names is reported by the conversion and kept in the contact's
/// notes, never silently dropped.
public struct ConversionMap: Sendable, Hashable {
    /// Lead field → customer field.
    public var customer: [String: String]
    /// Lead field → contact field.
    public var contact: [String: String]
    /// Lead field → opportunity field.
    public var opportunity: [String: String]
    /// Values for required customer fields the lead has nothing for (`industry = "制造业"`).
    public var customerDefaults: [String: String]
    /// Lead source → customer source (the two lists differ).
    public var sources: [String: String]

    /// The map in force when scripts say nothing.
    public static let standard = ConversionMap(
        customer: ["company": "name", "phone": "phone", "email": "email", "region": "province", "message": "requirements"],
        contact: ["name": "name", "phone": "phone", "email": "email", "title": "title"],
        opportunity: [:], customerDefaults: ["industry": "制造业"],
        sources: ["官网表单": "官网咨询", "线上广告": "线上推广", "展会": "展会推荐", "社交媒体": "线上推广", "研讨会": "展会推荐",
                  "电话营销": "电话营销", "转介绍": "客户转介绍", "其他": "线上推广"])
    /// The setting's key.
    public static let settingKey = "marketing.conversion_map"
    /// Lead fields the module keeps for itself: never reported as unmapped.
    static let bookkeeping: Set<String> = ["id", "owner", "created_at", "updated_at", "created_by", "updated_by", "status", "score", "phone_key",
                                           "email_key", "touches", "last_touch_at", "assigned_at", "assignment_rule", "last_followup_at",
                                           "pool_warned_at", "capture_form", "customer", "contact", "opportunity", "converted_at",
                                           "invalid_reason", "campaign", "source", "utm_source", "utm_medium", "utm_campaign"]

    /// The map in force for a schema.
    public static func inForce(_ schema: Schema) -> ConversionMap {
        schema.setting(settingKey, as: ConversionMap.self) ?? .standard
    }

    /// `crm.marketing.conversion_map{...}`.
    static var setting: PluginSetting {
        PluginSetting("conversion_map",
                      summary: "crm.marketing.conversion_map{customer = {company = \"name\", region = \"province\"}, contact = {name = \"name\"}, opportunity = {product_interest = \"name\"}, customer_defaults = {industry = \"制造业\"}, sources = {官网表单 = \"官网咨询\"}}",
                      default: .table([:])) { try parse($0) }
    }

    static let knownKeys = ["customer", "contact", "opportunity", "customer_defaults", "sources"]

    /// Parses the script table; parts left out keep their standard value.
    static func parse(_ value: ScriptValue) throws -> ConversionMap {
        let t = try AssignmentRules.table(value, "conversion_map", "expects {customer = {...}, contact = {...}}")
        var map = standard
        for key in t.keys.sorted() {
            guard knownKeys.contains(key) else {
                throw KernelError(.validation, "conversion_map: unknown key '\(key)' (known: \(knownKeys.joined(separator: ", ")))")
            }
            var pairs: [String: String] = [:]
            for (from, to) in try AssignmentRules.table(t[key]!, "conversion_map.\(key)", "expects {lead_field = \"target_field\"}") {
                guard let target = to.text, !target.isEmpty else { throw KernelError(.validation, "conversion_map.\(key).\(from): expects a field name") }
                pairs[from] = target
            }
            switch key {
            case "customer": map.customer = pairs
            case "contact": map.contact = pairs
            case "opportunity": map.opportunity = pairs
            case "customer_defaults": map.customerDefaults = pairs
            default: map.sources = pairs
            }
        }
        return map
    }

    /// Checks every named field exists on its entity (at conversion, against the schema in force).
    func check(_ schema: Schema) throws {
        let named: [(String, Set<String>)] = [("lead", Set(customer.keys).union(contact.keys).union(opportunity.keys)),
                                              ("customer", Set(customer.values).union(customerDefaults.keys)),
                                              ("contact", Set(contact.values)), ("opportunity", Set(opportunity.values))]
        for (entity, names) in named {
            let fields = try schema.entity(entity).fieldsByName
            if let missing = names.sorted().first(where: { fields[$0] == nil }) {
                throw KernelError(.validation, "conversion_map: \(entity) has no field '\(missing)'")
            }
        }
    }
}
