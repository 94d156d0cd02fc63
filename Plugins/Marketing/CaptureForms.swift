import CRMKernel

/// The capture forms declared in Lua with `crm.marketing.capture_forms{...}`: per form, the lead
/// fields it may post, the default source and campaign, the honeypot field and the minimum time
/// a person needs to fill it.
public struct CaptureForms: Sendable, Hashable {
    /// One form.
    public struct Form: Sendable, Hashable {
        /// The form's name, the `{form}` of its URL.
        public var name: String
        /// Lead fields it may post (anything else is refused).
        public var fields: [String]
        /// Fields it must post.
        public var required: [String]
        /// The lead's source when the post names none.
        public var source: String
        /// The campaign (by name) the leads belong to, if any.
        public var campaign: String?
        /// A hidden field a person leaves empty; a post filling it is a bot's.
        public var honeypot: String?
        /// Seconds between showing the form (`_started` in the post, Unix seconds) and posting it
        /// below which the post is a bot's; 0: not checked.
        public var minFillSeconds: Int
    }

    /// Forms by name.
    public var forms: [String: Form]

    /// Lead fields a form may ever post.
    public static let postable = ["name", "company", "title", "phone", "email", "region", "product_interest", "source", "message",
                                  "utm_source", "utm_medium", "utm_campaign"]
    /// The post field carrying when the form was shown (Unix seconds).
    public static let startedField = PublicFormGuard.startedField
    /// The setting's key.
    public static let settingKey = "marketing.capture_forms"

    /// The forms in force for a schema.
    public static func inForce(_ schema: Schema) -> CaptureForms {
        schema.setting(settingKey, as: CaptureForms.self) ?? CaptureForms(forms: [:])
    }

    /// `crm.marketing.capture_forms{...}`.
    static var setting: PluginSetting {
        PluginSetting("capture_forms",
                      summary: "crm.marketing.capture_forms{website = {fields = {\"name\", \"phone\", \"email\", \"company\", \"region\", \"product_interest\", \"message\"}, required = {\"name\"}, source = \"官网表单\", campaign = \"2026春季新品发布会\", honeypot = \"homepage\", min_fill_seconds = 3}}",
                      default: .table([:])) { try parse($0) }
    }

    static let formKeys = ["fields", "required", "source", "campaign", "honeypot", "min_fill_seconds"]

    /// Parses the script table, naming the form and key that is wrong.
    static func parse(_ value: ScriptValue) throws -> CaptureForms {
        let t = try AssignmentRules.table(value, "capture_forms", "expects a table keyed by form name")
        var forms: [String: Form] = [:]
        for name in t.keys.sorted() {
            let path = "capture_forms.\(name)"
            guard name.range(of: "^[a-z0-9_-]{1,64}$", options: .regularExpression) != nil else {
                throw KernelError(.validation, "\(path): a form name uses a-z, 0-9, _ and - only")
            }
            let f = try AssignmentRules.table(t[name]!, path, "expects {fields = {...}, source = ..., ...}")
            if let unknown = f.keys.sorted().first(where: { !formKeys.contains($0) }) {
                throw KernelError(.validation, "\(path): unknown key '\(unknown)' (known: \(formKeys.joined(separator: ", ")))")
            }
            func names(_ key: String) throws -> [String] {
                try AssignmentRules.list(f[key] ?? .list([]), "\(path).\(key)").map { item in
                    guard let text = item.text, postable.contains(text) else {
                        throw KernelError(.validation, "\(path).\(key): '\(item.text ?? "?")' is not a lead field a form may post (\(postable.joined(separator: ", ")))")
                    }
                    return text
                }
            }
            var fields = try names("fields")
            if !fields.contains("name") { fields.insert("name", at: 0) }
            let required = try names("required")
            if let missing = required.first(where: { !fields.contains($0) }) {
                throw KernelError(.validation, "\(path).required: '\(missing)' is not among the form's fields")
            }
            let honeypot = f["honeypot"]?.text
            if let honeypot, postable.contains(honeypot) || honeypot == startedField {
                throw KernelError(.validation, "\(path).honeypot: '\(honeypot)' is a real field; name the hidden field something else")
            }
            forms[name] = Form(name: name, fields: fields, required: required.isEmpty ? ["name"] : required,
                               source: f["source"]?.text ?? "官网表单", campaign: f["campaign"]?.text, honeypot: honeypot,
                               minFillSeconds: try f["min_fill_seconds"].map { try AssignmentRules.count($0, "\(path).min_fill_seconds") } ?? 0)
        }
        return CaptureForms(forms: forms)
    }
}
