import Foundation
import Testing

/// The benchmark's quick mode, so `crm-bench` never rots: it must run, create every row, and
/// write a report whose figures are all present and plausible.
struct BenchmarkSmokeTests {
    @Test(.timeLimit(.minutes(8)))  // every module's section, in a debug build
    func quickModeRunsAndWritesACompleteReport() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("crm-bench-smoke-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let report = root.appendingPathComponent("report.json")

        let process = Process()
        process.executableURL = try CRMProcess.binary("crm-bench")
        process.arguments = ["--scale", "10000", "--hook-records", "3000", "--singles", "200", "--reads", "100", "--http-requests", "640", "--http-seconds", "1", "--products", "200", "--order-lines", "300", "--installments", "200", "--marketing-leads", "500", "--marketing-captures", "50", "--payroll-employees", "50", "--payroll-credits", "3000", "--service-tickets", "300", "--service-articles", "300",
                             "--json", report.path, "--tmp", root.path]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "crm-bench failed: \(stderr)")

        #expect(stdout.contains("limit: raw SQLite insert"))
        #expect(stdout.contains("× limit"), "every write figure carries its ratio to the limit")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
        #expect(json["scale"] as? Int == 10000)
        for key in ["limitRowsPerSecond", "sameWorkLimitRowsPerSecond", "bulkRowsPerSecond", "bulkWithoutScriptsRowsPerSecond", "bulkRatioToLimit",
                    "bulkRatioToSameWork", "peakRSSMiB"] {
            let value = json[key] as? Double ?? 0
            #expect(value > 0, "\(key) is measured")
        }
        let reads = try #require(json["reads"] as? [String: Any])
        for key in ["getByID", "filteredFirstPage", "search2Chars", "search4Chars", "groupBy", "tagFilteredFirstPage", "findDuplicates"] {
            let latency = reads[key] as? [String: Any]
            #expect((latency?["p99"] as? Double ?? 0) > 0, "\(key) p99 is measured")
        }
        #expect((reads["search2Matches"] as? Int ?? 0) > 0, "a 2-character Chinese term finds customers")
        let http = try #require(json["http"] as? [String: Any])
        for key in ["healthz", "getByID", "filteredFirstPage", "creates"] {
            let phase = http[key] as? [String: Any]
            #expect((phase?["requestsPerSecond"] as? Double ?? 0) > 0, "HTTP \(key) is measured")
            #expect(phase?["failures"] as? Int == 0, "HTTP \(key) requests all succeed")
        }
        #expect((reads["search4Matches"] as? Int ?? 0) > 0, "a 4-character Chinese term finds customers")
        let payroll = try #require(json["payroll"] as? [String: Any])
        #expect(payroll["employees"] as? Int == 50 && payroll["credits"] as? Int == 3000, "the payroll section follows its options")
        #expect((payroll["runSeconds"] as? Double ?? 0) > 0 && ((payroll["simulateOne"] as? [String: Any])?["p99"] as? Double ?? 0) > 0)
        let opportunities = try #require(json["opportunities"] as? [String: Any])
        #expect(opportunities["opportunities"] as? Int == 10000, "the opportunities section follows --scale")
        #expect((opportunities["historyRows"] as? Int ?? 0) >= 10000, "every deal has its stage history")
        for key in ["funnelCompany", "funnelTeam", "forecastByMonth"] {
            let latency = opportunities[key] as? [String: Any]
            #expect((latency?["p99"] as? Double ?? 0) > 0, "\(key) p99 is measured")
        }
        let products = try #require(json["products"] as? [String: Any])
        #expect(products["products"] as? Int == 200, "the products section follows --products")
        for key in ["availableAll", "availableOne", "price50Lines"] {
            #expect(((products[key] as? [String: Any])?["p99"] as? Double ?? 0) > 0, "\(key) p99 is measured")
        }
        let orders = try #require(json["orders"] as? [String: Any])
        #expect(orders["orderLines"] as? Int == 300, "the orders section follows --order-lines")
        for key in ["price50Lines", "save50Lines", "salesByProductYear"] {
            #expect(((orders[key] as? [String: Any])?["p99"] as? Double ?? 0) > 0, "\(key) p99 is measured")
        }
        let finance = try #require(json["finance"] as? [String: Any])
        #expect(finance["installments"] as? Int == 200, "the finance section follows --installments")
        for key in ["agingCompany", "agingOneRep", "orderFigures"] {
            #expect(((finance[key] as? [String: Any])?["p99"] as? Double ?? 0) > 0, "\(key) p99 is measured")
        }
        let marketing = try #require(json["marketing"] as? [String: Any])
        #expect(marketing["leads"] as? Int == 500, "the marketing section follows --marketing-leads")
        #expect((marketing["captureRowsPerSecond"] as? Double ?? 0) > 0, "lead capture is measured")
        let sections = try #require(json["memoryBySection"] as? [[String: Any]])
        let named = Set(sections.compactMap { $0["name"] as? String })
        for name in ["bulk import", "HTTP", "opportunities", "orders", "finance", "marketing", "payroll", "service", "products"] {
            #expect(named.contains(name), "the peak RSS of the \(name) section is traced")
        }
        #expect(sections.allSatisfy { ($0["peakMiB"] as? Double ?? 0) > 0 }, "every section's peak is read")
        let targets = try #require(json["targets"] as? [[String: Any]])
        #expect(targets.count >= 10)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("crm-bench-\(process.processIdentifier)").path),
                "the temporary workspaces are removed")
    }
}
