import CRMKernel

/// The module's operations for Swift callers outside it (the benchmark, other modules): the
/// same code the Lua functions and the public route run.
public enum MarketingOperations {
    /// Places unowned lead `id` by the assignment rules in force, in `tx`; returns its owner
    /// (nil: it stays in the lead pool).
    @discardableResult
    public static func assign(_ tx: WriteContext, lead id: Int64) throws -> Int64? {
        try LeadAssignment.assign(tx, lead: id).owner
    }

    /// `crm.marketing.simulate_assignment{from, to}`: the rules replayed over past leads, nothing written.
    public static func simulateAssignment(_ reader: RecordReader, from: String, to: String) throws -> ScriptValue {
        try LeadAssignment.simulate(reader, from: from, to: to)
    }

    /// `crm.marketing.roi(campaign)`: the campaign's ROI report.
    public static func campaignROI(_ reader: RecordReader, campaign id: Int64) throws -> ScriptValue {
        try CampaignROI.report(reader, campaign: id)
    }
}
