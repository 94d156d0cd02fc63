import CRMKernel

/// `crm.marketing.*` functions (also `POST /api/v1/actions/marketing/<name>`).
enum MarketingFunctions {
    static var all: [ScriptFunction] {
        [simulate, assign, capture] + LeadPoolFunctions.all + LeadConversion.functions + CampaignROI.functions
    }

    /// A table argument's fields, or a clear error.
    static func table(_ call: ScriptCall, _ name: String, _ example: String) throws -> [String: ScriptValue] {
        guard let t = call[0].fields ?? (call[0] == .null ? [:] : nil) else {
            throw KernelError(.validation, "crm.marketing.\(name) expects a table such as \(example)")
        }
        return t
    }

    /// `crm.marketing.simulate_assignment{from = "2026-11-01", to = "2026-11-30"}`.
    static var simulate: ScriptFunction {
        ScriptFunction("simulate_assignment",
                       summary: "crm.marketing.simulate_assignment{from = \"2026-11-01\", to = \"2026-11-30\"} → load per rep, caps hit, unmatched (writes nothing)",
                       effect: .read, access: .admin("lead")) { call in
            let t = try table(call, "simulate_assignment", "{from = \"2026-11-01\", to = \"2026-11-30\"}")
            guard let from = t["from"]?.text, let to = t["to"]?.text else {
                throw KernelError(.validation, "crm.marketing.simulate_assignment: from and to are required (yyyy-MM-dd)",
                                  fieldErrors: [FieldError(field: t["from"] == nil ? "from" : "to", message: "is required")])
            }
            return try call.read { try LeadAssignment.simulate($0, from: from, to: to) }
        }
    }

    /// `crm.marketing.assign(lead_id)`: places an unowned lead by the rules in force.
    static var assign: ScriptFunction {
        ScriptFunction("assign", summary: "crm.marketing.assign(lead_id) → {owner =, rule =} placed by the assignment rules",
                       effect: .write, access: .admin("lead")) { call in
            guard let id = call[0].integer else { throw KernelError(.validation, "crm.marketing.assign needs a lead id") }
            let decision = try call.write { try LeadAssignment.assign($0, lead: id) }
            return .table(["owner": decision.owner.map { .value(.integer($0)) } ?? .null, "rule": decision.rule.map { .value(.text($0)) } ?? .null])
        }
    }

    /// `crm.marketing.capture("website", {name = ..., phone = ...})`: what the public route does.
    static var capture: ScriptFunction {
        ScriptFunction("capture", summary: "crm.marketing.capture(form, {name = ..., phone = ...}) → {lead =, merged =} as the public form would",
                       effect: .write, access: .create("lead")) { call in
            guard let form = call[0].text, let fields = call[1].fields else {
                throw KernelError(.validation, "crm.marketing.capture expects a form name and a table of fields")
            }
            let post = fields.compactMapValues { v -> String? in v.text ?? v.integer.map(String.init) }
            switch try LeadCapture.capture(call.store, form: form, post: post) {
            case .created(let id): return .table(["lead": .value(.integer(id)), "merged": .value(.bool(false))])
            case .merged(let id): return .table(["lead": .value(.integer(id)), "merged": .value(.bool(true))])
            case .ignored(let why): return .table(["ignored": .value(.text(why))])
            }
        }
    }
}
