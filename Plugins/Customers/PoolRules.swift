import CRMKernel
import Foundation

/// The company's 公海 (shared customer pool) rules: which pools exist and which customers fall
/// in each, how many customers a user may claim per day and hold at once, and when customers go
/// back to the pool by themselves (auto-reclaim), per 客户等级.
///
/// Set from the script pack with `crm.customers.pool_rules{...}`; parsed once per schema and read
/// with `Schema.setting("customers.pool_rules", as:)`.
public struct PoolRules: Sendable, Hashable {
    /// One pool: a name and the provinces it takes (none: every customer not taken before).
    public struct Pool: Sendable, Hashable {
        /// The pool's name, e.g. 华南公海.
        public var name: String
        /// The provinces whose customers fall in this pool; empty matches every customer.
        public var provinces: [String]

        /// Creates a pool.
        public init(name: String, provinces: [String] = []) {
            self.name = name
            self.provinces = provinces
        }
    }

    /// When an owned customer goes back to its pool.
    public struct Reclaim: Sendable, Hashable {
        /// Days without a follow-up (since the last follow-up, or since it was assigned); nil: never.
        public var noFollowupDays: Int?
        /// Days without a deal (lifecycle not 成交) since it was assigned; nil: never.
        public var noDealDays: Int?

        /// Creates a reclaim rule.
        public init(noFollowupDays: Int?, noDealDays: Int?) {
            self.noFollowupDays = noFollowupDays
            self.noDealDays = noDealDays
        }
    }

    /// The pools, in matching order: a customer is in the first whose provinces match.
    public var pools: [Pool]
    /// Claims one user may make per day (workspace time zone).
    public var dailyClaims: Int
    /// Customers one user may own at once; claiming beyond it is refused.
    public var maxHeld: Int
    /// Days a customer's previous owner may not claim it back after a release or reclaim.
    public var cooldownDays: Int
    /// Days before a reclaim that the owner is warned.
    public var warnDays: Int
    /// The rule for grades not listed in `byGrade`.
    public var reclaimDefault: Reclaim
    /// Rules per 客户等级 (`grade`).
    public var byGrade: [String: Reclaim]
    /// At most this many customers move in one reclaim run (the scheduler runs again soon).
    public var maxPerRun: Int

    /// Creates rules.
    public init(pools: [Pool], dailyClaims: Int, maxHeld: Int, cooldownDays: Int, warnDays: Int,
                reclaimDefault: Reclaim, byGrade: [String: Reclaim] = [:], maxPerRun: Int = 5000) {
        self.pools = pools
        self.dailyClaims = dailyClaims
        self.maxHeld = maxHeld
        self.cooldownDays = cooldownDays
        self.warnDays = warnDays
        self.reclaimDefault = reclaimDefault
        self.byGrade = byGrade
        self.maxPerRun = maxPerRun
    }

    /// The rules in force when scripts say nothing.
    public static let standard = PoolRules(pools: [Pool(name: "默认公海")], dailyClaims: 20, maxHeld: 200, cooldownDays: 30,
                                           warnDays: 3, reclaimDefault: Reclaim(noFollowupDays: 30, noDealDays: 90))

    /// The setting's key in `Schema.setting(_:as:)`.
    public static let settingKey = "customers.pool_rules"

    /// The pool a customer in `province` belongs to.
    public func pool(forProvince province: String?) -> String {
        let match = pools.first { $0.provinces.isEmpty || (province.map($0.provinces.contains) ?? false) }
        return (match ?? pools.last ?? Pool(name: "默认公海")).name
    }

    /// The reclaim rule for a grade.
    public func reclaim(grade: String?) -> Reclaim {
        grade.flatMap { byGrade[$0] } ?? reclaimDefault
    }

    /// The rules in force for a schema (the standard ones when the setting is missing).
    public static func inForce(_ schema: Schema) -> PoolRules {
        schema.setting(settingKey, as: PoolRules.self) ?? .standard
    }
}
