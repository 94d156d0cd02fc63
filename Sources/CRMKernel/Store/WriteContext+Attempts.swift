import GRDB

/// Independent writes sharing one transaction (the API's group commit, imports), first run
/// without savepoints.
///
/// A savepoint per write is what lets one refused write be undone alone, but it is costly:
/// SQLite copies every page the write touches into its statement journal, and the full-text
/// table writes out its pending terms as a new segment at every savepoint (the writer thread's
/// largest single cost for API creates). Most refusals happen before anything is written
/// (types, required fields, rules, access), and those need no undo. So a batch runs bare first;
/// only when a write fails *after* writing does the transaction roll back and the batch run
/// once more with a savepoint per write.
extension WriteContext {
    /// Thrown by `attempt(savepoint: false, _:)` when the write failed after it had already
    /// written rows (or after SQLite had ended the transaction): its writes cannot be undone
    /// alone, so the transaction must roll back and run again with savepoints.
    public struct UndoNeeded: Error {
        /// The write's own error.
        public let error: any Error
    }

    /// Runs one of several independent writes of this transaction. With `savepoint`, exactly
    /// as `isolated(_:)`. Without: the body runs bare; a failure that wrote nothing is
    /// rethrown unchanged (the events it published are dropped) and the transaction goes on,
    /// while a failure after a write throws `UndoNeeded`. Rows count as written when the
    /// transaction's own counter or SQLite's change count (every table, modules' own included)
    /// moved.
    public func attempt<T>(savepoint: Bool, _ body: () throws -> T) throws -> T {
        if savepoint { return try isolated(body) }
        let writesBefore = writes, changesBefore = db.totalChangesCount, eventsBefore = events.count
        do {
            return try body()
        } catch {
            if writes != writesBefore || db.totalChangesCount != changesBefore || !db.isInsideTransaction {
                throw UndoNeeded(error: error)
            }
            events.removeSubrange(eventsBefore...)
            throw error
        }
    }
}

extension RecordStore {
    /// Runs `body` in one write transaction (as `write(as:access:_:)`) whose independent
    /// writes go through `WriteContext.attempt(savepoint:_:)` with the flag it is given: first
    /// `false`; when a write throws `WriteContext.UndoNeeded`, that transaction rolls back and
    /// `body` runs once more, with `true`. Bodies must therefore be safe to run twice (they
    /// write only through the transaction).
    public func writeAttempts<T>(as user: ActingUser, access: AccessGuard?,
                                 _ body: (WriteContext, _ savepoints: Bool) throws -> T) throws -> T {
        do {
            return try write(as: user, access: access) { tx in try body(tx, false) }
        } catch is WriteContext.UndoNeeded {
            return try write(as: user, access: access) { tx in try body(tx, true) }
        }
    }
}
