import CRMKernel

/// The company's lead assignment rules, set from Lua with `crm.marketing.assignment_rules{...}`:
/// ordered rules (first match wins), each a condition and a pool of users with a strategy and
/// caps; leads no rule places go to `default_owner`, or stay unassigned in the lead pool.
public struct AssignmentRules: Sendable, Hashable {
    /// How a rule picks one of its users.
    public enum Strategy: String, Sendable, Hashable, CaseIterable {
        /// In turn, the rotation kept in the database per rule.
        case roundRobin = "round_robin"
        /// The user with the fewest open leads (新线索/已分配/跟进中).
        case leastOpen = "least_open"
        /// In proportion to each user's weight, over the last 30 days' assignments.
        case weighted
    }

    /// When a rule applies; every condition given must hold.
    public struct Condition: Sendable, Hashable {
        /// Regions matched (any of them); empty: any region.
        public var regions: [String] = []
        /// Product interests matched; empty: any.
        public var products: [String] = []
        /// Sources matched; empty: any.
        public var sources: [String] = []
        /// Lowest score matched, inclusive.
        public var minScore: Int64?
        /// Highest score matched, inclusive.
        public var maxScore: Int64?

        /// Whether a lead with these values meets the condition.
        public func matches(_ lead: LeadFacts) -> Bool {
            (regions.isEmpty || lead.region.map(regions.contains) == true)
                && (products.isEmpty || lead.product.map(products.contains) == true)
                && (sources.isEmpty || lead.source.map(sources.contains) == true)
                && (minScore.map { lead.score >= $0 } ?? true)
                && (maxScore.map { lead.score <= $0 } ?? true)
        }
    }

    /// One member of a rule's pool.
    public struct Member: Sendable, Hashable {
        /// The user's login name.
        public var login: String
        /// Weight for the weighted strategy (1 or more).
        public var weight: Int
    }

    /// One rule.
    public struct Rule: Sendable, Hashable {
        /// The rule's name (unique; the round-robin rotation is kept under it).
        public var name: String
        /// When it applies.
        public var condition: Condition
        /// Who may receive its leads, in rotation order.
        public var members: [Member]
        /// How it picks.
        public var strategy: Strategy
        /// Leads one user may receive per day (workspace day); nil: no cap.
        public var dailyCap: Int?
        /// Leads one user may receive over the last 30 days; nil: no cap.
        public var monthlyCap: Int?
    }

    /// The rules in order.
    public var rules: [Rule]
    /// Login of the user who gets leads no rule places; nil: they stay in the lead pool.
    public var defaultOwner: String?

    /// No rules: every lead stays unassigned.
    public static let none = AssignmentRules(rules: [], defaultOwner: nil)
    /// The setting's key.
    public static let settingKey = "marketing.assignment_rules"

    /// The rules in force for a schema.
    public static func inForce(_ schema: Schema) -> AssignmentRules {
        schema.setting(settingKey, as: AssignmentRules.self) ?? .none
    }
}

/// What assignment looks at on a lead.
public struct LeadFacts: Sendable, Hashable {
    /// Region.
    public var region: String?
    /// Product interest.
    public var product: String?
    /// Source.
    public var source: String?
    /// Score (0 when unscored).
    public var score: Int64

    /// The facts of a lead's fields.
    public init(_ values: [String: Value]) {
        region = values["region"]?.textValue
        product = values["product_interest"]?.textValue
        source = values["source"]?.textValue
        score = values["score"]?.integerValue ?? 0
    }
}
