import Foundation
import GRDB
import Testing
@testable import CRMKernel

/// Independent writes in one transaction without savepoints (`WriteContext.attempt`,
/// `RecordStore.writeAttempts`): a refusal that wrote nothing goes on bare, one that wrote
/// rolls the transaction back for a run with savepoints.
struct WriteAttemptTests {
    @Test func aRefusalBeforeAnyWriteIsRethrownAndTheTransactionGoesOn() throws {
        let s = try TestStore()
        var runs: [Bool] = []
        let refused = try s.store.writeAttempts(as: .system, access: nil) { tx, savepoints -> KernelError? in
            runs.append(savepoints)
            _ = try tx.attempt(savepoint: savepoints) { try tx.create("company", ["name": t("甲")]) }
            var refused: KernelError?
            do {
                _ = try tx.attempt(savepoint: savepoints) { try tx.create("company", ["name": t("乙"), "employees": t("many")]) }
            } catch let error as KernelError {
                refused = error
            }
            _ = try tx.attempt(savepoint: savepoints) { try tx.create("company", ["name": t("丙")]) }
            return refused
        }
        #expect(runs == [false])
        #expect(refused?.fieldErrors.map(\.field) == ["employees"])
        let names = try s.store.find(Query("company", sort: [SortKey("name")])).records.map { $0["name"] }
        #expect(names == [t("丙"), t("甲")])
    }

    @Test func aRefusalAfterAWriteNeedsTheUndoEvenWhenOnlyAModuleTableWasWritten() throws {
        let s = try TestStore()
        try s.store.pool.write { db in try db.execute(sql: "CREATE TABLE module_notes (note TEXT NOT NULL)") }
        let outcome: Result<Void, any Error> = Result {
            try s.store.write(as: .system) { tx in
                try tx.attempt(savepoint: false) {
                    // Not a record write: only SQLite's change count can tell it happened.
                    try tx.db.execute(sql: "INSERT INTO module_notes (note) VALUES ('written')")
                    throw KernelError(.validation, "refused after writing")
                }
            }
        }
        guard case .failure(let error) = outcome, let undo = error as? WriteContext.UndoNeeded else {
            Issue.record("expected UndoNeeded, got \(outcome)")
            return
        }
        #expect((undo.error as? KernelError)?.message == "refused after writing")
        // The transaction that saw it rolled back whole.
        #expect(try s.store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM module_notes") } == 0)
    }

    @Test func aRefusalAfterAWriteRunsTheBatchAgainWithSavepointsKeepingTheOthers() throws {
        let (s, events) = try TestStore.withContactWritingHook()
        var runs: [Bool] = []
        let outcomes = try s.store.writeAttempts(as: .system, access: nil) { tx, savepoints -> [Bool] in
            runs.append(savepoints)
            return try [["name": t("A")], ["name": t("B"), "parent": i(999)], ["name": t("C")]].map { values in
                do {
                    _ = try tx.attempt(savepoint: savepoints) { try tx.create("company", values) }
                    return true
                } catch is KernelError {
                    return false  // a refusal; `UndoNeeded` is not one and ends this run
                }
            }
        }
        #expect(runs == [false, true])
        #expect(outcomes == [true, false, true])
        let contacts = try s.store.find(Query("contact", sort: [SortKey("name")])).records.map { $0["name"] }
        #expect(contacts == [t("for A"), t("for C")])
        // Events only from the run that committed, none for the refused record's hook write.
        #expect(events.all.map(\.name) == ["contact.after_create", "company.after_create", "contact.after_create", "company.after_create"])
        #expect(try s.store.outbox(after: 0).map(\.seq) == events.all.map(\.seq))
    }

    @Test func anErrorThatIsNotARefusalStillRollsBackTheWholeWrite() throws {
        let s = try TestStore()
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try s.store.writeAttempts(as: .system, access: nil) { tx, savepoints in
                _ = try tx.attempt(savepoint: savepoints) { try tx.create("company", ["name": t("甲")]) }
                throw Boom()
            }
        }
        #expect(try s.store.count("company") == 0)
    }
}
