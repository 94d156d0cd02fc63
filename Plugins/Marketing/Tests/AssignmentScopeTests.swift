import CRMKernel
@testable import CRMMarketing
import CRMScripting
import Foundation
import Testing

/// What one assignment looks at: only the users of the rules a lead meets (and the default
/// owner), nothing at all when no rule applies and there is no default owner, and counters read
/// once per assignment but again by the next one in the same transaction.
struct AssignmentScopeTests {
    static let rules = AssignmentRules(rules: [
        AssignmentRules.Rule(name: "华南", condition: .init(regions: ["广东"]), members: [.init(login: "lina", weight: 1), .init(login: "wangqiang", weight: 1)],
                             strategy: .roundRobin, dailyCap: 2, monthlyCap: nil),
        AssignmentRules.Rule(name: "高分", condition: .init(minScore: 80), members: [.init(login: "zhangwei", weight: 1)],
                             strategy: .leastOpen, dailyCap: nil, monthlyCap: nil),
    ], defaultOwner: nil)

    @Test func loginsAreThoseOfTheMatchingRulesAndTheDefaultOwner() {
        let south = LeadFacts(["region": .text("广东"), "score": .integer(90)])
        #expect(AssignmentEngine.logins(Self.rules, for: south) == ["lina", "wangqiang", "zhangwei"])
        #expect(AssignmentEngine.logins(Self.rules, for: LeadFacts(["region": .text("广东")])) == ["lina", "wangqiang"])
        // No rule and no default owner: nothing to look up, the lead goes to the pool.
        #expect(AssignmentEngine.logins(Self.rules, for: LeadFacts(["region": .text("北京")])) == nil)
        var withDefault = Self.rules
        withDefault.defaultOwner = "zhangwei"
        #expect(AssignmentEngine.logins(withDefault, for: LeadFacts(["region": .text("北京")])) == ["zhangwei"])
    }

    @Test func aLeadNoRuleMeetsStaysInThePoolWithNoCounters() throws {
        let f = try MarketingFixture(companyLua: AssignmentTests.rules.replacingOccurrences(of: #"default_owner = "zhangwei""#, with: "default_owner = nil"))
        let lead = try f.lead(["region": .text("北京")])
        let decision = try f.store.write(as: .system) { try LeadAssignment.assign($0, lead: lead.id) }
        #expect(decision == AssignmentDecision(owner: nil, rule: nil, capped: []))
        #expect(try f.store.get("lead", lead.id)?["owner"] == .null)
        #expect(try f.store.count("lead_assignment_count") == 0 && f.store.count("lead_rule_cursor") == 0)
    }

    @Test func assignmentsInOneTransactionRotateAndCountEachOther() throws {
        let f = try MarketingFixture(companyLua: AssignmentTests.rules)
        let leads = try (0..<5).map { _ in try f.lead(["region": .text("广东")]) }
        let owners = try f.store.write(as: .system) { tx in try leads.map { try LeadAssignment.assign(tx, lead: $0).owner } }
        let lina = f.users["lina"]!, wang = f.users["wangqiang"]!, boss = f.users["zhangwei"]!
        // The same as one transaction each: two each under the daily cap, then the default owner.
        #expect(owners == [lina, wang, lina, wang, boss])
        let counts = try f.store.find(Query("lead_assignment_count", filter: .eq("user", .integer(lina)))).records
        #expect(counts.count == 1 && counts.first?["count"] == .integer(2))
        #expect(try f.store.find(Query("lead_rule_cursor")).records.map { $0["position"] } == [.integer(0)])
    }
}

/// The fast paths of a capture give the answers of the Foundation calls they stand in for.
struct CaptureFastPathTests {
    @Test func theWorkspaceDayIsTheCalendarsDay() {
        for zone in ["Asia/Shanghai", "UTC", "America/New_York", "Pacific/Kiritimati", "America/St_Johns"] {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: zone)!
            // Every 7 hours 13 minutes over 8 years (DST changes, leap days, year ends), and before 1970.
            for t in stride(from: -86_400.0 * 400, to: 86_400.0 * 365 * 8 + 1_700_000_000, by: 26_017.5) where t < 0 || t > 1_700_000_000 {
                let date = Date(timeIntervalSince1970: t)
                let c = calendar.dateComponents([.year, .month, .day], from: date)
                #expect(AssignmentEngine.day(date, calendar: calendar) == String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!), "\(zone) \(t)")
            }
        }
    }

    @Test func trimmingIsFoundationsTrimming() {
        for text in ["", " ", "韩梅梅", " 韩梅梅", "韩梅梅\n", "\u{3000}广东\u{3000}", "\t138 0013 8000 ", "a b", "\u{85}x\u{2028}", "\u{200B}x"] {
            #expect(LeadCapture.trimmed(text) == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(text.debugDescription)")
        }
    }
}
