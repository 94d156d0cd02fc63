import Foundation
import Testing
import CRMTestSupport

/// `crm import` / `crm export` through the real binary, including a crash mid-import.
struct ImportCLITests {
    static func customersCSV(_ n: Int, start: Int = 0) -> String {
        var text = "name,phone,industry,source,tags\n"
        for i in start..<(start + n) {
            text += "测试公司\(i)有限公司,138\(String(format: "%08d", i)),制造业,展会推荐,\"重点客户,华南区\"\n"
        }
        return text
    }

    @Test func importCreatesRecordsAndExportReturnsThem() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init"]).status == 0)
        let file = try crm.write("c.csv", Self.customersCSV(25))
        let out = try crm.run(["import", "customer", file, "--batch-size", "10"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("imported 25 customer record(s) in 3 batch(es)"))
        let export = try crm.run(["export", "customer"])
        #expect(export.stdout.split(separator: "\n").count == 26)
        #expect(export.stdout.contains("测试公司7有限公司"))
    }

    @Test func badRowsAreReportedWithFileAndLineAndGoodRowsKept() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init"]).status == 0)
        let file = try crm.write("c.csv", "name,phone,industry,source\n甲公司,13800000001,制造业,展会推荐\n乙公司,not-a-phone,制造业,展会推荐\n,13800000003,制造业,展会推荐\n")
        let out = try crm.run(["import", "customer", file])
        #expect(out.status != 0)
        #expect(out.stderr.contains("c.csv:3: customer.phone"))
        #expect(out.stderr.contains("c.csv:4: customer.name"))
        #expect(try crm.run(["export", "customer"]).stdout.split(separator: "\n").count == 2)
    }

    @Test func malformedCSVAndUnknownColumnsImportNothing() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init"]).status == 0)
        let ragged = try crm.write("r.csv", "name,phone,industry,source\n甲公司,13800000001,制造业,展会推荐\n乙公司,13800000002\n")
        let r = try crm.run(["import", "customer", ragged])
        #expect(r.status != 0)
        #expect(r.stderr.contains("r.csv:3: expected 4 columns, found 2"))
        let unknown = try crm.write("u.csv", "name,shoe_size\n甲公司,42\n")
        let u = try crm.run(["import", "customer", unknown])
        #expect(u.stderr.contains("u.csv:1: column 2 'shoe_size' is not a field of customer"))
        #expect(try crm.run(["export", "customer"]).stdout.split(separator: "\n").count == 1)
        #expect(try crm.run(["import", "nosuch", ragged]).stderr.contains("unknown entity 'nosuch'"))
    }

    /// Kills `crm import` mid-way: every committed batch is whole, no partial batch exists, and
    /// the audit log matches the records exactly.
    @Test func killedImportLeavesOnlyWholeBatches() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init"]).status == 0)
        let batch = 97
        let file = try crm.write("big.csv", Self.customersCSV(60_000))
        let process = Process()
        process.executableURL = try CRMProcess.binary("crm")
        process.arguments = ["import", "customer", file, "--batch-size", String(batch), "--workspace", crm.workspace.path]
        process.standardOutput = FileHandle.nullDevice
        // Wait until the import's progress line says a thousand rows or more are in (whole
        // batches), then kill without warning.
        let progress = crm.root.appendingPathComponent("import-progress.txt")
        _ = FileManager.default.createFile(atPath: progress.path, contents: nil)
        let progressHandle = try FileHandle(forWritingTo: progress)
        defer { try? progressHandle.close() }
        process.standardError = progressHandle
        func rowsReported() -> Int {
            let text = (try? String(contentsOf: progress, encoding: .utf8)) ?? ""
            return text.components(separatedBy: "customer rows: ").dropFirst()
                .compactMap { Int($0.prefix { $0.isNumber }) }.max() ?? 0
        }
        try process.run()
        #expect(eventually(within: 60) { rowsReported() >= 1_000 }, "the import reported no progress")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the import finished before it could be killed")
        let export = try crm.run(["export", "customer"])
        try #require(export.status == 0, "\(export.stderr)")
        let rows = export.stdout.split(separator: "\n").count - 1
        #expect(rows > 0)
        #expect(rows < 60_000)
        #expect(rows % batch == 0, "\(rows) records is not a whole number of batches of \(batch)")
        let names = Set(export.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[1] })
        #expect(names.count == rows)
    }
}
