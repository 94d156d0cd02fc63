import Foundation
import Testing
@testable import CRMKernel

/// A plugin numbering its `ticket_doc` records with a daily sequence.
private struct NumberedPlugin: Plugin {
    var manifest: PluginManifest {
        PluginManifest(id: "numbered", name: LocalizedText("编号"), version: "1.0.0", summary: LocalizedText("测试用"))
    }
    var sequences: [SequenceDeclaration] {
        [SequenceDeclaration("ticket_doc", defaultPattern: "HT-{yyyyMMdd}-{seq:4}", summary: "测试单据编号")]
    }
}

struct SequenceTests {
    private func workspace(_ dir: TempDir) throws -> Workspace {
        try Workspace(directory: dir.url.appendingPathComponent("ws"), registry: PluginRegistry([NumberedPlugin()]), create: true)
    }

    private static let shanghai: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return c
    }()

    @Test func numbersCountUpWithinATransactionAndAcrossTransactions() throws {
        let dir = try TempDir()
        let ws = try workspace(dir)
        let (a, b, now) = try ws.store.write(as: .system) { tx in (try tx.nextNumber("ticket_doc"), try tx.nextNumber("ticket_doc"), tx.now) }
        let c = try ws.store.write(as: .system) { try $0.nextNumber("ticket_doc") }
        let pattern = try SequencePattern("HT-{yyyyMMdd}-{seq:4}")
        #expect(a == pattern.format(1, at: now, calendar: Self.shanghai))
        #expect(b == pattern.format(2, at: now, calendar: Self.shanghai))
        #expect(c.hasSuffix("-0003"))
    }

    @Test func aRolledBackTransactionGivesItsNumberBack() throws {
        let dir = try TempDir()
        let ws = try workspace(dir)
        struct Refused: Error {}
        #expect(throws: Refused.self) { try ws.store.write(as: .system) { tx in _ = try tx.nextNumber("ticket_doc"); throw Refused() } }
        let n = try ws.store.write(as: .system) { try $0.nextNumber("ticket_doc") }
        #expect(n.hasSuffix("-0001"))
    }

    @Test func theCounterRestartsEachPeriodOfThePattern() throws {
        let pattern = try SequencePattern("HT-{yyyyMMdd}-{seq:4}")
        let day1 = Date(timeIntervalSince1970: 1_796_140_800)  // 2026-12-01T16:00:00Z = 2026-12-02 00:00 in Shanghai
        let before = day1.addingTimeInterval(-1)
        #expect(pattern.period(at: day1, calendar: Self.shanghai) == "HT-20261202-{seq}")
        #expect(pattern.period(at: before, calendar: Self.shanghai) == "HT-20261201-{seq}")
        #expect(pattern.format(7, at: day1, calendar: Self.shanghai) == "HT-20261202-0007")
        #expect(try SequencePattern("{yyyy}/{seq:2}").format(123, at: day1, calendar: Self.shanghai) == "2026/123")
        let undated = try SequencePattern("INV{seq}")
        #expect(undated.period(at: day1, calendar: Self.shanghai) == undated.period(at: before, calendar: Self.shanghai))

        // In the store: a counter row per period, so a new day starts at 1 again.
        let dir = try TempDir()
        let ws = try workspace(dir)
        try ws.store.pool.write { db in
            try db.execute(sql: "INSERT INTO _sequence (name, period, value) VALUES ('ticket_doc', 'HT-20000101-{seq}', 41)")
        }
        #expect(try ws.store.write(as: .system) { try $0.nextNumber("ticket_doc") }.hasSuffix("-0001"))
    }

    @Test func theWorkspaceTimeZoneDecidesTheDate() throws {
        let dir = try TempDir()
        let ws = try workspace(dir)
        try ws.store.setSetting("time_zone", "America/Los_Angeles")
        var la = Calendar(identifier: .gregorian)
        la.timeZone = TimeZone(identifier: "America/Los_Angeles")!
        let number = try ws.store.write(as: .system) { tx in (try tx.nextNumber("ticket_doc"), tx.now) }
        #expect(number.0 == (try SequencePattern("HT-{yyyyMMdd}-{seq:4}")).format(1, at: number.1, calendar: la))
    }

    @Test func twoProcessesWritingAtOnceNeverShareOrSkipANumber() async throws {
        let dir = try TempDir()
        let ws = try workspace(dir)
        // A second store on the same file stands for a second process.
        let other = try Workspace(directory: dir.url.appendingPathComponent("ws"), registry: PluginRegistry([NumberedPlugin()]))
        let perWriter = 40
        let numbers = try await withThrowingTaskGroup(of: [String].self) { group in
            for store in [ws.store, other.store, ws.store, other.store] {
                group.addTask {
                    var mine: [String] = []
                    for _ in 0..<perWriter { mine.append(try store.write(as: .system) { try $0.nextNumber("ticket_doc") }) }
                    return mine
                }
            }
            var all: [String] = []
            for try await list in group { all += list }
            return all
        }
        #expect(Set(numbers).count == numbers.count)
        let counters = numbers.compactMap { Int($0.suffix(4)) }.sorted()
        #expect(counters == Array(1...(perWriter * 4)))
    }

    @Test func badPatternsAreRefusedWithTheReason() {
        let cases: [(String, String)] = [
            ("HT-{yyyyMMdd}", "no {seq}"), ("{seq}{seq}", "more than one"), ("A{seq:0}", "width"), ("A{seq:13}", "width"),
            ("A{seq:x}", "width"), ("A{hh}{seq}", "unknown token {hh}"), ("A{seq", "'{' without '}'"), ("A}{seq}", "'}' without '{'"),
            ("", "empty"), (String(repeating: "x", count: 65) + "{seq}", "longer than 64"),
        ]
        for (pattern, reason) in cases {
            let error = kernelError { _ = try SequencePattern(pattern) }
            #expect(error?.kind == .validation)
            #expect(error?.message.contains(reason) == true, "\(pattern): \(error?.message ?? "")")
        }
    }

    @Test func companyPatternsReplaceTheDefaultAndUnknownNamesAreRefused() throws {
        let dir = try TempDir()
        let ws = try workspace(dir)
        try ws.applyCompany(CompanyContributions(sequencePatterns: ["ticket_doc": "T{yyMM}{seq:3}"]))
        #expect(try ws.store.write(as: .system) { try $0.nextNumber("ticket_doc") }.hasSuffix("001"))
        #expect(ws.store.schema.sequences["ticket_doc"]?.text == "T{yyMM}{seq:3}")
        let unknown = kernelError { try ws.applyCompany(CompanyContributions(sequencePatterns: ["nope": "N{seq}"])) }
        #expect(unknown?.message.contains("unknown sequence 'nope'") == true)
        let bad = kernelError { try ws.applyCompany(CompanyContributions(sequencePatterns: ["ticket_doc": "T{seq:99}"])) }
        #expect(bad?.message.contains("crm.sequence") == true)
        #expect(ws.store.schema.sequences["ticket_doc"]?.text == "T{yyMM}{seq:3}")
        #expect(kernelError { _ = try ws.store.write(as: .system) { try $0.nextNumber("missing") } }?.kind == .notFound)
    }
}
