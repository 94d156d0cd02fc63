import Foundation
import Testing

/// `crm import --resume` after a kill -9 continues from the last committed batch: every row is
/// imported exactly once.
struct ImportResumeCLITests {
    @Test func resumeAfterKillImportsEveryRowOnce() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init"]).status == 0)
        let total = 6_000
        let file = try crm.write("big.csv", ImportCLITests.customersCSV(total))
        let process = Process()
        process.executableURL = try CRMProcess.binary("crm")
        process.arguments = ["import", "customer", file, "--batch-size", "100", "--workspace", crm.workspace.path]
        let progress = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = progress
        try process.run()
        // Piped progress comes as plain lines; wait for the first one, then kill without warning.
        let first = progress.fileHandleForReading.availableData
        #expect(String(decoding: first, as: UTF8.self).contains("customer rows: "), "progress line")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the import finished before it could be killed")
        let before = try crm.run(["export", "customer"]).stdout.split(separator: "\n").count - 1
        #expect(before > 0 && before < total && before % 100 == 0, "only whole batches: \(before)")

        let resumed = try crm.run(["import", "customer", file, "--batch-size", "100", "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("resumed after row \(before) of \(total)"), "\(resumed.stdout)")
        #expect(resumed.stdout.contains("imported \(total) customer record(s)"), "totals include the earlier batches: \(resumed.stdout)")
        let export = try crm.run(["export", "customer"]).stdout.split(separator: "\n").dropFirst()
        #expect(export.count == total)
        let names = Set(export.map { $0.split(separator: ",")[1] })
        #expect(names.count == total, "no row imported twice")

        // A finished import resumed again has nothing left to do.
        let again = try crm.run(["import", "customer", file, "--resume"])
        #expect(again.stdout.contains("imported \(total) customer record(s) in 0 batch(es)"), "\(again.stdout)")
        #expect(try crm.run(["export", "customer"]).stdout.split(separator: "\n").count - 1 == total)
    }
}
