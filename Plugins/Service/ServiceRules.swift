import CRMKernel

/// `crm.service.rules{...}`: which status plays which role, when a solved ticket closes itself,
/// how long a rating link lives, and the public ticket forms.
public struct ServiceRules: Sendable, Hashable {
    /// One public ticket form (`POST /public/service/tickets/{form}`).
    public struct Form: Sendable, Hashable {
        /// The form's name, the `{form}` of its URL.
        public var name: String
        /// The ticket's category when the post names none.
        public var category: String?
        /// A hidden field a person leaves empty.
        public var honeypot: String?
        /// Seconds a person needs at least (`_started` in the post); 0: not checked.
        public var minFillSeconds: Int
    }

    /// The status roles.
    public var statuses = ServiceStatus()
    /// Days after which a solved ticket closes itself (0: never).
    public var autoCloseDays = 7
    /// Days a rating link stays valid.
    public var ratingDays = 14
    /// Public forms by name.
    public var forms: [String: Form] = [:]
    /// The address customers reach the server at (`https://crm.example.com`), put before the
    /// rating link's path; empty: the link is a path.
    public var publicURL = ""
    /// The key mail providers put in the inbound webhook's address (`?key=`); empty: the webhook
    /// is off.
    public var inboundKey = ""

    /// The setting's key.
    public static let settingKey = "service.rules"
    /// Post fields a public form takes.
    public static let formFields = ["name", "email", "phone", "subject", "description", "category", "order_number"]

    /// The rules in force.
    public static func inForce(_ schema: Schema) -> ServiceRules {
        schema.setting(settingKey, as: ServiceRules.self) ?? ServiceRules()
    }

    static var setting: PluginSetting {
        PluginSetting("rules", summary: "crm.service.rules{statuses = {solved = \"已解决\", ...}, auto_close_days = 7, rating_days = 14, public_url = \"https://crm.example.com\", forms = {support = {honeypot = \"website\", min_fill_seconds = 3}}}",
                      default: .table([:])) { try parse($0) }
    }

    static let keys = ["statuses", "auto_close_days", "rating_days", "forms", "public_url", "inbound_key"]

    /// Parses the script table, naming the key that is wrong.
    static func parse(_ value: ScriptValue) throws -> ServiceRules {
        let t = try table(value, "rules")
        if let unknown = t.keys.sorted().first(where: { !keys.contains($0) }) {
            throw KernelError(.validation, "crm.service.rules: unknown key '\(unknown)' (known: \(keys.joined(separator: ", ")))")
        }
        var r = ServiceRules()
        r.statuses = try ServiceStatus.parse(t["statuses"], "rules.statuses")
        if let v = t["auto_close_days"] { r.autoCloseDays = try count(v, "rules.auto_close_days") }
        if let v = t["public_url"] {
            guard let url = v.text, url.isEmpty || url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw KernelError(.validation, "crm.service.rules.public_url: expects an http(s) address")
            }
            r.publicURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        }
        if let v = t["inbound_key"] {
            guard let key = v.text, key.count >= 16 else { throw KernelError(.validation, "crm.service.rules.inbound_key: expects a key of at least 16 characters") }
            r.inboundKey = key
        }
        if let v = t["rating_days"] { r.ratingDays = max(1, try count(v, "rules.rating_days")) }
        for (name, raw) in try table(t["forms"] ?? .table([:]), "rules.forms") {
            let path = "rules.forms.\(name)"
            guard name.range(of: "^[a-z0-9_-]{1,64}$", options: .regularExpression) != nil else {
                throw KernelError(.validation, "\(path): a form name uses a-z, 0-9, _ and - only")
            }
            let f = try table(raw, path)
            if let unknown = f.keys.sorted().first(where: { !["category", "honeypot", "min_fill_seconds"].contains($0) }) {
                throw KernelError(.validation, "\(path): unknown key '\(unknown)' (known: category, honeypot, min_fill_seconds)")
            }
            let honeypot = f["honeypot"]?.text
            if let honeypot, formFields.contains(honeypot) {
                throw KernelError(.validation, "\(path).honeypot: '\(honeypot)' is a real field; name the hidden field something else")
            }
            r.forms[name] = Form(name: name, category: f["category"]?.text, honeypot: honeypot,
                                 minFillSeconds: try f["min_fill_seconds"].map { try count($0, "\(path).min_fill_seconds") } ?? 0)
        }
        return r
    }

    /// A table, or an error naming `path`.
    static func table(_ value: ScriptValue, _ path: String) throws -> [String: ScriptValue] {
        switch value {
        case .table(let t): return t
        case .list(let l) where l.isEmpty: return [:]
        default: throw KernelError(.validation, "crm.service.\(path): expects a table")
        }
    }

    /// A list of texts (a single text counts as a list of one), or an error naming `path`.
    static func texts(_ value: ScriptValue?, _ path: String) throws -> [String] {
        switch value {
        case nil, .null?: return []
        case .value(.text(let t))?: return [t]
        case .list(let l)?:
            return try l.map { item in
                guard let t = item.text else { throw KernelError(.validation, "crm.service.\(path): expects a list of names") }
                return t
            }
        case .table(let t)? where t.isEmpty: return []
        default: throw KernelError(.validation, "crm.service.\(path): expects a list of names")
        }
    }

    /// A whole number ≥ 0, or an error naming `path`.
    static func count(_ value: ScriptValue, _ path: String) throws -> Int {
        guard let n = value.integer, n >= 0 else { throw KernelError(.validation, "crm.service.\(path): expects a whole number ≥ 0") }
        return Int(n)
    }
}
