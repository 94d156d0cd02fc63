import CRMKernel
import CRMOpportunities
import Foundation

/// Opportunities at full scale: a million deals (each with its stage history row) owned by 200
/// reps in 20 teams of 10 under 4 regions, then the funnel for the company and for one team,
/// and the weighted forecast by month, through the same code `crm.opportunities.*` runs.
enum OpportunityBench {
    struct Results: Codable {
        var opportunities: Int
        var historyRows: Int
        var loadRowsPerSecond: Double
        var funnelCompany: Latency
        var funnelTeam: Latency
        var forecastByMonth: Latency
        /// Opportunities in the team the team funnel covers.
        var teamOpportunities: Int
        /// The funnel through the report catalog (`crm report run opportunities.funnel`).
        var reportRunFunnel: Latency?
        /// A saved spec report: count, sum and average amount by owner and quarter, with a totals row.
        var reportRunSpec: Latency?
    }

    static let stages = ["初步接触", "需求确认", "方案制定", "合同谈判", "赢单", "输单"]
    /// Share of deals per stage, in percent.
    static let shares = [30, 20, 15, 10, 15, 10]
    static let reps = 200

    static func measure(_ dir: URL, count: Int, iterations: Int, progress: (String) -> Void) throws -> Results {
        let host = try KernelBench.open(dir, scripts: true)
        defer { host.workspace.close() }  // frees its connections and Lua state when the section ends
        let store = host.workspace.store
        var users: [Int64] = []
        var firstTeam: Int64 = 0
        try store.write(as: .system) { tx in
            for region in 1...4 {
                let r = try tx.create("team", ["name": .text("大区\(region)")]).id
                for t in 1...5 {
                    let team = try tx.create("team", ["name": .text("大区\(region)-\(t)组"), "parent": .integer(r)]).id
                    if firstTeam == 0 { firstTeam = team }
                    for k in 1...(reps / 20) {
                        users.append(try tx.create("user", ["name": .text("opp_rep_\(region)_\(t)_\(k)"), "role": .text("sales_rep"),
                                                            "team": .integer(team)]).id)
                    }
                }
            }
        }
        let customers = CustomerData(count: 1000, seed: 11)
        let created = try store.bulkCreate("customer", customers.rows(0..<customers.count), options: BulkOptions(batchSize: 1000))
        guard created.created == customers.count else { throw KernelError(.validation, "bench customers refused: \(created.failures.first?.error.description ?? "")") }
        let customerIDs = try store.read { try $0.find(Query("customer", limit: 1000)).records.map(\.id) }

        progress("opportunities: loading \(count) deals with their stage history")
        let start = DispatchTime.now().uptimeNanoseconds
        let now = Date()
        for chunk in stride(from: 0, to: count, by: 10_000) {
            let rows = (chunk..<min(chunk + 10_000, count)).map { row($0, users: users, customers: customerIDs, now: now) }
            let result = try store.bulkCreate("opportunity", rows, options: BulkOptions(batchSize: 2000))
            guard result.created == rows.count else {
                throw KernelError(.validation, "bench opportunities refused: \(result.failures.first?.error.description ?? "")")
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let history = try store.count("opportunity_stage")

        progress("opportunities: timing funnel (company, one team) and forecast, \(iterations) iterations each")
        var company: [Double] = [], team: [Double] = [], forecast: [Double] = []
        var teamCount = 0
        for _ in 0..<iterations {
            company.append(try time { _ = try report("funnel", .null, store) })
            team.append(try time {
                guard case .list(let rows) = try report("funnel", .table(["team": .value(.integer(firstTeam))]), store) else { return }
                teamCount = rows.reduce(0) { $0 + Int($1.fields?["count"]?.integer ?? 0) }
            })
            forecast.append(try time { _ = try report("forecast", .null, store) })
        }
        progress("reports: the funnel and a spec report by owner and quarter through the report catalog, \(iterations) iterations each")
        let spec = ReportSpec(entity: "opportunity", groupBy: [ReportSpec.Grouping("owner"), ReportSpec.Grouping("expected_close_date", bucket: "quarter")],
                              measures: [ReportSpec.Measure("n", "count"), ReportSpec.Measure("amount", "sum", field: "amount"),
                                         ReportSpec.Measure("average", "avg", field: "amount")])
        try host.workspace.saveReport("bench_owner_quarter", spec: spec, as: .unrestricted)
        var catalogFunnel: [Double] = [], specRuns: [Double] = []
        for _ in 0..<iterations {
            catalogFunnel.append(try time { _ = try host.workspace.runReport("opportunities.funnel", as: nil) })
            specRuns.append(try time { _ = try host.workspace.runReport("bench_owner_quarter", as: nil) })
        }
        return Results(opportunities: count, historyRows: history, loadRowsPerSecond: Double(count) / seconds,
                       funnelCompany: Latency(company), funnelTeam: Latency(team), forecastByMonth: Latency(forecast),
                       teamOpportunities: teamCount, reportRunFunnel: Latency(catalogFunnel), reportRunSpec: Latency(specRuns))
    }

    /// Runs `crm.opportunities.<name>(filter)` as the console would.
    static func report(_ name: String, _ filter: ScriptValue, _ store: RecordStore) throws -> ScriptValue {
        guard let function = OpportunitiesPlugin().scriptFunctions.first(where: { $0.name == name }) else {
            throw KernelError(.notFound, "no crm.opportunities.\(name)")
        }
        return try function.body(ScriptCall(arguments: [filter], user: .system, store: store, transaction: nil))
    }

    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }

    /// Deal `i`: a stage by the shares above, an owner, an amount, a close month over two years,
    /// entered its stage within the last 120 days.
    static func row(_ i: Int, users: [Int64], customers: [Int64], now: Date) -> [String: Value] {
        var random = SeededRandom(seed: 0xC0FFEE &+ UInt64(i) &* 0x9E37_79B9)
        var pick = Int.random(in: 0..<100, using: &random), s = 0
        while pick >= shares[s] { pick -= shares[s]; s += 1 }
        let entered = now.addingTimeInterval(-Double(Int.random(in: 0..<(120 * 86_400), using: &random)))
        var v: [String: Value] = [
            "name": .text("商机\(i)"), "customer": .integer(customers[i % customers.count]), "owner": .integer(users[i % users.count]),
            "amount": .decimal(Decimal(Int.random(in: 1...1000, using: &random) * 1000)),
            "expected_close_date": .text(String(format: "%04d-%02d-%02d", 2026 + (i / 12) % 2, 1 + i % 12, 1 + i % 28)),
            "stage": .text(stages[s]), "stage_entered_at": .datetime(entered),
            "opened_at": .datetime(entered.addingTimeInterval(-Double(Int.random(in: 0..<(60 * 86_400), using: &random)))),
            "decision_maker": .text("决策人\(i % 97)"),
        ]
        if stages[s] == "输单" { v["loss_reason"] = .text("价格过高") }
        return v
    }
}
