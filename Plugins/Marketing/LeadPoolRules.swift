import CRMKernel

/// The lead pool's (线索池) rules, set from Lua with `crm.marketing.lead_pool{...}`: how long an
/// assigned lead may go without a follow-up before it returns to the pool (by source, and by
/// score band, the first band matching winning over the source), the warning before, the
/// claims a user may make per day, and the cooldown before a user may claim back a lead they lost.
public struct LeadPoolRules: Sendable, Hashable {
    /// Hours for a lead matching no source or band rule.
    public var defaultHours: Int
    /// Hours by lead source.
    public var bySource: [String: Int]
    /// Hours by score band (`min` inclusive), checked in order before the source.
    public var byScore: [(min: Int64, hours: Int)]
    /// Hours before the return that the owner is warned.
    public var warnHours: Int
    /// Leads one user may claim per day.
    public var dailyClaims: Int
    /// Days a lead's previous owner may not claim it back.
    public var cooldownDays: Int
    /// At most this many leads return in one run.
    public var maxPerRun: Int

    /// The rules in force when scripts say nothing.
    public static let standard = LeadPoolRules(defaultHours: 72, bySource: [:], byScore: [], warnHours: 12, dailyClaims: 20,
                                               cooldownDays: 3, maxPerRun: 5000)
    /// The setting's key.
    public static let settingKey = "marketing.lead_pool"

    /// The rules in force for a schema.
    public static func inForce(_ schema: Schema) -> LeadPoolRules {
        schema.setting(settingKey, as: LeadPoolRules.self) ?? .standard
    }

    /// Hours a lead with `source` and `score` may go without a follow-up.
    public func hours(source: String?, score: Int64) -> Int {
        if let band = byScore.first(where: { score >= $0.min }) { return band.hours }
        return source.flatMap { bySource[$0] } ?? defaultHours
    }

    public static func == (a: LeadPoolRules, b: LeadPoolRules) -> Bool {
        a.defaultHours == b.defaultHours && a.bySource == b.bySource && a.byScore.map(\.min) == b.byScore.map(\.min)
            && a.byScore.map(\.hours) == b.byScore.map(\.hours) && a.warnHours == b.warnHours && a.dailyClaims == b.dailyClaims
            && a.cooldownDays == b.cooldownDays && a.maxPerRun == b.maxPerRun
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(defaultHours)
        hasher.combine(bySource)
        hasher.combine(warnHours)
    }

    /// `crm.marketing.lead_pool{...}`.
    static var setting: PluginSetting {
        PluginSetting("lead_pool",
                      summary: "crm.marketing.lead_pool{return_after_hours = 72, by_source = {展会 = 120}, by_score = {{min = 80, hours = 24}}, warn_hours = 12, daily_claims = 20, cooldown_days = 3, max_per_run = 5000}",
                      default: .table([:])) { try parse($0) }
    }

    static let knownKeys = ["return_after_hours", "by_source", "by_score", "warn_hours", "daily_claims", "cooldown_days", "max_per_run"]

    /// Parses the script table; keys left out keep their standard value.
    static func parse(_ value: ScriptValue) throws -> LeadPoolRules {
        let t = try AssignmentRules.table(value, "lead_pool", "expects a table such as {return_after_hours = 72}")
        var rules = standard
        for key in t.keys.sorted() {
            let entry = t[key]!, path = "lead_pool.\(key)"
            switch key {
            case "return_after_hours": rules.defaultHours = max(1, try AssignmentRules.count(entry, path))
            case "warn_hours": rules.warnHours = try AssignmentRules.count(entry, path)
            case "daily_claims": rules.dailyClaims = try AssignmentRules.count(entry, path)
            case "cooldown_days": rules.cooldownDays = try AssignmentRules.count(entry, path)
            case "max_per_run": rules.maxPerRun = max(1, try AssignmentRules.count(entry, path))
            case "by_source":
                for (source, hours) in try AssignmentRules.table(entry, path, "expects {展会 = 120, ...}") {
                    rules.bySource[source] = max(1, try AssignmentRules.count(hours, "\(path).\(source)"))
                }
            case "by_score":
                rules.byScore = try AssignmentRules.list(entry, path).enumerated().map { i, band in
                    let b = try AssignmentRules.table(band, "\(path)[\(i + 1)]", "expects {min = 80, hours = 24}")
                    guard let min = b["min"], let hours = b["hours"] else { throw KernelError(.validation, "\(path)[\(i + 1)]: min and hours are required") }
                    return (Int64(try AssignmentRules.count(min, "\(path)[\(i + 1)].min")), max(1, try AssignmentRules.count(hours, "\(path)[\(i + 1)].hours")))
                }
            default:
                throw KernelError(.validation, "lead_pool: unknown key '\(key)' (known: \(knownKeys.joined(separator: ", ")))")
            }
        }
        return rules
    }
}
