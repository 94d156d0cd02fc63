import Foundation
import GRDB
import Synchronization
import Testing
@testable import CRMKernel

/// A switch a test flips to make a consumer fail, and the events each consumer saw.
private final class ConsumerProbe: Sendable {
    let failing = Mutex(false)
    let seen = Mutex<[String: [Int64]]>([:])

    func saw(_ consumer: String, _ seq: Int64) { seen.withLock { $0[consumer, default: []].append(seq) } }
    func seqs(_ consumer: String) -> [Int64] { seen.withLock { $0[consumer] ?? [] } }
}

/// Publishes `deal.closed` when a deal is closed through `close`.
private struct DealsPlugin: Plugin {
    var manifest: PluginManifest {
        PluginManifest(id: "deals", name: LocalizedText("交易"), version: "1.0.0", summary: LocalizedText("测试用"))
    }
    var schema: SchemaDeclarations {
        SchemaDeclarations(entities: [EntityDefinition("deal", label: LocalizedText("交易"), titleField: "name", fields: [
            FieldDefinition("name", .text, label: LocalizedText("名称"), required: true),
            FieldDefinition("account", .integer, label: LocalizedText("账户")),
        ])])
    }
    var publishes: [String] { ["deal.closed"] }

    static func close(_ tx: WriteContext, _ deal: CRMKernel.Record) throws {
        try tx.publish("deal.closed", entity: "deal", recordID: deal.id, payload: ["id": .integer(deal.id), "account": deal["account"]])
    }
}

/// Consumes `deal.closed` twice: `mark` sets the account's status, `audit` fails while the probe says so.
private struct AccountsPlugin: Plugin {
    let probe: ConsumerProbe
    var events = ["deal.closed"]
    var manifest: PluginManifest {
        PluginManifest(id: "accounts", name: LocalizedText("账户"), version: "1.0.0", summary: LocalizedText("测试用"))
    }
    var schema: SchemaDeclarations {
        SchemaDeclarations(entities: [EntityDefinition("account", label: LocalizedText("账户"), titleField: "name", fields: [
            FieldDefinition("name", .text, label: LocalizedText("名称"), required: true),
            FieldDefinition("status", .text, label: LocalizedText("状态")),
            FieldDefinition("notes", .integer, label: LocalizedText("备注数")),
        ])])
    }
    var consumers: [EventConsumer] {
        let probe = self.probe
        return [
            EventConsumer("mark", events: events, summary: "closed deal → account closed") { event, tx in
                probe.saw("mark", event.seq)
                guard let id = event.payload["account"]?.integerValue else { return }
                try tx.update("account", id, ["status": .text("closed")])
            },
            EventConsumer("audit", events: events, summary: "counts closed deals; fails on demand") { event, tx in
                guard let id = event.payload["account"]?.integerValue else { return }
                let notes = try tx.reader.get("account", id)?["notes"].integerValue ?? 0
                try tx.update("account", id, ["notes": .integer(notes + 1)])
                if probe.failing.withLock({ $0 }) { throw KernelError(.invalidState, "audit service down") }
                probe.saw("audit", event.seq)
            },
        ]
    }
}

/// Durable consumers: a reaction commits with its cursor, in commit order, survives a restart,
/// and a failing consumer keeps its event, retries with backoff and does not block the others.
struct EventConsumerTests {
    private let dir: TempDir
    private let probe = ConsumerProbe()

    init() throws { dir = try TempDir() }

    private func open() throws -> Workspace {
        try Workspace(directory: dir.url, registry: try PluginRegistry([DealsPlugin(), AccountsPlugin(probe: probe)]), create: true)
    }

    private func closeDeal(_ ws: Workspace, account: Int64) throws {
        try ws.store.write(as: .system) { tx in
            try DealsPlugin.close(tx, try tx.create("deal", ["name": .text("单"), "account": .integer(account)]))
        }
    }

    private func status(_ ws: Workspace, _ id: String) throws -> ConsumerStatus {
        try #require(try ws.store.consumerStatuses().first { $0.id == id })
    }

    @Test func theReactionHappensRightAfterTheCommitInCommitOrderAndTheCursorIsKept() throws {
        let ws = try open()
        let a = try ws.store.create("account", ["name": .text("甲")]).id
        let b = try ws.store.create("account", ["name": .text("乙")]).id
        try closeDeal(ws, account: a)
        #expect(try ws.store.get("account", a)?["status"] == .text("closed"), "the committing process reacts at once")
        #expect(try ws.store.get("account", b)?["status"] == .null)
        try closeDeal(ws, account: b)
        let closed = try ws.store.outbox(after: 0, limit: 100).filter { $0.event == "deal.closed" }.map(\.seq)
        #expect(probe.seqs("mark") == closed, "each event once, in commit order")
        let mark = try status(ws, "accounts.mark")
        #expect(mark.lag == 0 && mark.attempts == 0 && mark.lastError == nil)
        #expect(mark.seq >= closed.last!)
    }

    @Test func eventsCommittedWhileNoConsumerRanAreHandledAfterARestart() throws {
        var ws = try open()
        let a = try ws.store.create("account", ["name": .text("甲")]).id
        // As if the process stopped between the commit and the reactions.
        ws.store.setHooks(HookSet())
        try closeDeal(ws, account: a)
        #expect(try ws.store.get("account", a)?["status"] == .null)
        ws = try open()
        #expect(try status(ws, "accounts.mark").lag == 1)
        let report = ws.store.drainConsumers()
        #expect(report.handled["accounts.mark"] == 1 && report.handled["accounts.audit"] == 1)
        #expect(try ws.store.get("account", a)?["status"] == .text("closed"))
        #expect(try ws.store.get("account", a)?["notes"] == .integer(1))
        #expect(ws.store.drainConsumers().handled.isEmpty, "handled once: the cursor committed with the reaction")
    }

    @Test func aFailingConsumerKeepsItsEventRetriesWithBackoffAndDoesNotBlockTheOthers() throws {
        let ws = try open()
        let a = try ws.store.create("account", ["name": .text("甲")]).id
        probe.failing.withLock { $0 = true }
        try closeDeal(ws, account: a)
        #expect(try ws.store.get("account", a)?["status"] == .text("closed"), "the other consumer went on")
        #expect(try ws.store.get("account", a)?["notes"] == .null, "the failed reaction was rolled back whole")
        let failed = try status(ws, "accounts.audit")
        #expect(failed.lag == 1 && failed.attempts == 1)
        #expect(failed.lastError?.contains("audit service down") == true)
        let retryAt = try #require(failed.retryAt)
        #expect(retryAt > Date().addingTimeInterval(-1))

        #expect(ws.store.drainConsumers(now: retryAt.addingTimeInterval(-0.5)).failures.isEmpty, "waits for its retry time")
        #expect(try status(ws, "accounts.audit").attempts == 1)
        let again = ws.store.drainConsumers(now: retryAt.addingTimeInterval(1))
        #expect(again.failures["accounts.audit"]?.contains("audit service down") == true)
        #expect(try status(ws, "accounts.audit").attempts == 2)
        #expect(try status(ws, "accounts.audit").retryAt! > retryAt, "the wait grows")

        probe.failing.withLock { $0 = false }
        let retried = try ws.store.retryConsumer("accounts.audit")
        #expect(retried.handled["accounts.audit"] == 1)
        #expect(try ws.store.get("account", a)?["notes"] == .integer(1))
        let healed = try status(ws, "accounts.audit")
        #expect(healed.lag == 0 && healed.attempts == 0 && healed.lastError == nil && healed.retryAt == nil)
        #expect(kernelError { _ = try ws.store.retryConsumer("accounts.nope") }?.kind == .notFound)
    }

    @Test func aModuleConsumingAnEventNobodyPublishesIsRefusedNamingTheModuleAndTheEvent() throws {
        var reader = AccountsPlugin(probe: probe)
        reader.events = ["deal.reopened"]
        let error = try #require(kernelError { _ = try PluginRegistry([DealsPlugin(), reader]) })
        #expect(error.message.contains("accounts") && error.message.contains("deal.reopened"))
        reader.events = ["deal.closed", "deal.after_update", "user.after_create"]
        _ = try PluginRegistry([DealsPlugin(), reader])
        #expect(kernelError { _ = try PluginRegistry([reader]) }?.message.contains("deal.closed") == true,
                "without its publisher the event is published by nobody")
    }

    @Test func theOutboxIsPrunedOnlyPastEveryConsumerAndKeepsTheConfiguredHistory() throws {
        let ws = try open()
        let a = try ws.store.create("account", ["name": .text("甲")]).id
        probe.failing.withLock { $0 = true }
        try closeDeal(ws, account: a)
        let held = try #require(try ws.store.outbox(after: 0, limit: 1000).first { $0.event == "deal.closed" }).seq
        let later = Date().addingTimeInterval(86_400 * 2)
        _ = try ws.store.pruneOutbox(keepDays: 0, now: later)
        #expect(try ws.store.outbox(after: held - 1, limit: 1).first?.seq == held, "the failing consumer still needs it")
        #expect(try ws.store.outbox(after: 0, limit: 1000).first?.seq == held, "what everyone has handled went")

        probe.failing.withLock { $0 = false }
        try ws.store.retryConsumer("accounts.audit")
        try ws.store.setSetting(RecordStore.outboxKeepDaysSetting, "7")
        #expect(try ws.store.pruneOutbox(now: later) == 0, "younger than the history kept")
        #expect(try ws.store.pruneOutbox(keepDays: 1, now: later) > 0)
        let left = try ws.store.outbox(after: 0, limit: 1000), statuses = try ws.store.consumerStatuses()
        #expect(left.isEmpty, "\(left) \(statuses)")
        try closeDeal(ws, account: a)
        #expect(try ws.store.outbox(after: 0, limit: 1000).allSatisfy { $0.seq > held }, "sequence numbers are never reused")
    }
}
