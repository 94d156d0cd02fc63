import CRMKernel
import CRMMarketing
import Foundation

/// Marketing at scale: the capture path (validation, 查重, a new lead scored and assigned by the
/// stock rules, or a repeat merged as a touch) in process, one assignment, `simulate_assignment`
/// over up to 100,000 past leads, and one campaign's ROI with all the leads in it.
///
/// Capture runs in process, not over HTTP: the public route's per-address limit (20 a minute)
/// would refuse a load test from one address.
enum MarketingBench {
    struct Results: Codable {
        var leads: Int
        var captureRowsPerSecond: Double
        var captureRepeatShare: Double
        var assignOne: Latency
        var simulatedLeads: Int
        var simulateSeconds: Double
        var roi: Latency
    }

    static func measure(_ dir: URL, leads: Int, captures: Int, progress: (String) -> Void) throws -> Results {
        let host = try KernelBench.open(dir, scripts: true)
        defer { host.workspace.close() }  // frees its connections and Lua state when the section ends
        let store = host.workspace.store
        try store.write(as: .system) { tx in
            for (login, role) in [("zhangwei", "sales_manager"), ("lina", "sales_rep"), ("wangqiang", "sales_rep")] {
                _ = try tx.create("user", ["name": .text(login), "role": .text(role)])
            }
        }
        let campaign = try store.create("campaign", ["name": .text("2026深圳工业自动化展"), "type": .text("展会")]).id
        _ = try store.create("campaign_cost", ["campaign": .integer(campaign), "item": .text("展位费"), "amount": .integer(12_000_000)])
        let regions = ["广东", "广西", "上海", "北京", "浙江"]

        progress("marketing: \(captures) captures through the expo form (1 in 5 a repeat)")
        // Captures come through the server's public form: checkpoints as the server runs them.
        var start = DispatchTime.now().uptimeNanoseconds
        try ServerCheckpoints.around(store) {
            for i in 0..<captures {
                let person = i % 5 == 4 ? i - 1 : i
                _ = try LeadCapture.capture(store, form: "expo", post: ["name": "客户\(person)", "phone": String(13_700_000_000 + person),
                                                                          "region": regions[person % regions.count], "product_interest": "空压机"])
            }
        }
        let captureSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9

        progress("marketing: assigning one lead, 200 times")
        var samples: [Double] = []
        for i in 0..<200 {
            let lead = try store.create("lead", ["name": .text("单条\(i)"), "source": .text("展会"), "region": .text(regions[i % regions.count]), "owner": .null]).id
            let t = DispatchTime.now().uptimeNanoseconds
            try store.write(as: .system) { tx in _ = try MarketingOperations.assign(tx, lead: lead) }
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6)
        }

        progress("marketing: loading \(leads) leads into one campaign")
        var loaded = try store.count("lead")
        for chunk in stride(from: loaded, to: leads, by: 10_000) {
            let rows: [[String: Value]] = (chunk..<min(chunk + 10_000, leads)).map { i in
                ["name": .text("线索\(i)"), "source": .text("展会"), "campaign": .integer(campaign), "region": .text(regions[i % regions.count]),
                 "status": .text(i % 10 == 0 ? "无效" : "新线索"), "invalid_reason": .text(i % 10 == 0 ? "空号" : ""), "owner": .null]
            }
            let result = try store.bulkCreate("lead", rows, options: BulkOptions(batchSize: 2000))
            guard result.created == rows.count else { throw KernelError(.validation, "bench leads refused: \(result.failures.first?.error.description ?? "")") }
            loaded += rows.count
            if loaded >= 100_000 && loaded - rows.count < 100_000 || loaded == leads { break }
        }
        let today = ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "Asia/Shanghai")!, formatOptions: [.withFullDate])
        progress("marketing: simulate_assignment over \(try store.count("lead")) leads")
        start = DispatchTime.now().uptimeNanoseconds
        let simulated = try store.read { try MarketingOperations.simulateAssignment($0, from: today, to: today) }
        let simulateSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        for chunk in stride(from: loaded, to: leads, by: 10_000) {
            let rows: [[String: Value]] = (chunk..<min(chunk + 10_000, leads)).map { i in
                ["name": .text("线索\(i)"), "source": .text("展会"), "campaign": .integer(campaign), "region": .text(regions[i % regions.count]), "owner": .null]
            }
            _ = try store.bulkCreate("lead", rows, options: BulkOptions(batchSize: 2000))
        }
        progress("marketing: campaign ROI with \(try store.count("lead", filter: .eq("campaign", .integer(campaign)))) leads")
        var roi: [Double] = []
        for _ in 0..<10 {
            let t = DispatchTime.now().uptimeNanoseconds
            _ = try store.read { try MarketingOperations.campaignROI($0, campaign: campaign) }
            roi.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6)
        }
        return Results(leads: try store.count("lead"), captureRowsPerSecond: Double(captures) / captureSeconds, captureRepeatShare: 0.2,
                       assignOne: Latency(samples), simulatedLeads: Int(simulated.fields?["leads"]?.integer ?? 0),
                       simulateSeconds: simulateSeconds, roi: Latency(roi))
    }
}
