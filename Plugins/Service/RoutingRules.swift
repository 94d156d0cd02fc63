import CRMKernel

/// `crm.service.routing{...}`: ordered rules (first match wins) sending a ticket to a team by
/// category, product, customer grade and channel; inside the team, the agent with the skill and
/// the fewest open tickets (`skill_load`) or the next in turn (`round_robin`), among agents
/// marked available (`user.service_available`).
public struct RoutingRules: Sendable, Hashable {
    /// How an agent is picked inside the team.
    public enum Strategy: String, Sendable, Hashable, CaseIterable {
        /// Agents with the ticket's skill first, the fewest open tickets wins (ties: in turn).
        case skillLoad = "skill_load"
        /// Agents with the skill first, in turn (the rotation is kept in the database per team).
        case roundRobin = "round_robin"
    }

    /// One rule.
    public struct Rule: Sendable, Hashable {
        /// Its name (shown on the ticket as `routing_rule`).
        public var name: String
        /// Categories matched (any); empty: any.
        public var categories: [String] = []
        /// Product names matched; empty: any.
        public var products: [String] = []
        /// Customer grades matched; empty: any.
        public var grades: [String] = []
        /// Channels matched; empty: any.
        public var channels: [String] = []
        /// The team (by name) its tickets go to.
        public var team: String
        /// A strategy for this rule instead of the default.
        public var strategy: Strategy?

        /// Whether a ticket with these facts matches.
        public func matches(_ f: TicketFacts) -> Bool {
            (categories.isEmpty || f.category.map(categories.contains) == true)
                && (products.isEmpty || f.product.map(products.contains) == true)
                && (grades.isEmpty || f.grade.map(grades.contains) == true)
                && (channels.isEmpty || f.channel.map(channels.contains) == true)
        }
    }

    /// Rules in order.
    public var rules: [Rule] = []
    /// The team of tickets no rule matches (nil: they stay unassigned).
    public var defaultTeam: String?
    /// The default strategy.
    public var strategy: Strategy = .skillLoad

    /// The setting's key.
    public static let settingKey = "service.routing"

    /// The routing in force.
    public static func inForce(_ schema: Schema) -> RoutingRules {
        schema.setting(settingKey, as: RoutingRules.self) ?? RoutingRules()
    }

    static var setting: PluginSetting {
        PluginSetting("routing", summary: "crm.service.routing{rules = {{name = \"账单\", categories = {\"账单\"}, team = \"客服一组\"}}, default_team = \"客服一组\", strategy = \"skill_load\"}",
                      default: .table([:])) { try parse($0) }
    }

    static let ruleKeys = ["name", "categories", "products", "grades", "channels", "team", "strategy"]

    /// Parses the script table, naming the rule and key that is wrong.
    static func parse(_ value: ScriptValue) throws -> RoutingRules {
        let t = try ServiceRules.table(value, "routing")
        if let unknown = t.keys.sorted().first(where: { !["rules", "default_team", "strategy"].contains($0) }) {
            throw KernelError(.validation, "crm.service.routing: unknown key '\(unknown)' (known: rules, default_team, strategy)")
        }
        var r = RoutingRules()
        r.defaultTeam = t["default_team"]?.text
        if let s = t["strategy"] { r.strategy = try strategy(s, "routing.strategy") }
        guard case .list(let list) = t["rules"] ?? .list([]) else {
            if case .table(let empty) = t["rules"] ?? .null, empty.isEmpty { return r }
            throw KernelError(.validation, "crm.service.routing.rules: expects a list of rules")
        }
        var names = Set<String>()
        for (i, item) in list.enumerated() {
            let path = "routing.rules[\(i + 1)]"
            let f = try ServiceRules.table(item, path)
            if let unknown = f.keys.sorted().first(where: { !ruleKeys.contains($0) }) {
                throw KernelError(.validation, "crm.service.\(path): unknown key '\(unknown)' (known: \(ruleKeys.joined(separator: ", ")))")
            }
            guard let team = f["team"]?.text, !team.isEmpty else { throw KernelError(.validation, "crm.service.\(path).team: is required") }
            let name = f["name"]?.text ?? "rule \(i + 1)"
            guard names.insert(name).inserted else { throw KernelError(.validation, "crm.service.\(path).name: '\(name)' is used twice") }
            r.rules.append(Rule(name: name, categories: try ServiceRules.texts(f["categories"], "\(path).categories"),
                                products: try ServiceRules.texts(f["products"], "\(path).products"),
                                grades: try ServiceRules.texts(f["grades"], "\(path).grades"),
                                channels: try ServiceRules.texts(f["channels"], "\(path).channels"), team: team,
                                strategy: try f["strategy"].map { try strategy($0, "\(path).strategy") }))
        }
        return r
    }

    private static func strategy(_ v: ScriptValue, _ path: String) throws -> Strategy {
        guard let s = v.text.flatMap(Strategy.init(rawValue:)) else {
            throw KernelError(.validation, "crm.service.\(path): expects one of \(Strategy.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return s
    }
}

/// What routing looks at on a ticket.
public struct TicketFacts: Sendable, Hashable {
    /// The category.
    public var category: String?
    /// The product's name (when the products module is enabled and the ticket names one).
    public var product: String?
    /// The customer's grade.
    public var grade: String?
    /// The channel.
    public var channel: String?

    /// Creates facts.
    public init(category: String? = nil, product: String? = nil, grade: String? = nil, channel: String? = nil) {
        self.category = category
        self.product = product
        self.grade = grade
        self.channel = channel
    }

    /// The facts of a stored ticket, reading its customer and product.
    static func of(_ ticket: [String: Value], _ reader: RecordReader) throws -> TicketFacts {
        var f = TicketFacts(category: ticket["category"]?.textValue, channel: ticket["channel"]?.textValue)
        if let c = ticket["customer"]?.integerValue, let customer = try reader.get("customer", c) { f.grade = customer["grade"].textValue }
        if let p = ticket["product"]?.integerValue, reader.schema.entities["product"] != nil,
           let product = try reader.get("product", p) { f.product = product["name"].textValue }
        return f
    }

    /// Skills that fit the ticket: its category and product name.
    var skills: [String] { [category, product].compactMap { $0 } }
}
