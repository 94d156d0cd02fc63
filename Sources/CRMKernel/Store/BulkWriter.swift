import GRDB

/// How a bulk write behaves.
public struct BulkOptions: Sendable {
    /// Records per transaction (`defaultBatchSize` unless told).
    public var batchSize: Int
    /// Records per transaction of an import unless told: a larger batch writes each changed
    /// index page to the log once for more records (BENCHMARKS.md, sixteenth session).
    public static let defaultBatchSize = 5000
    /// Stop at the first bad record (its batch is rolled back; earlier batches stay).
    /// Otherwise bad records are skipped and reported.
    public var stopOnError: Bool
    /// The script budget the whole write shares (hooks of every record draw from it); `nil`:
    /// the engine's bulk defaults. Inside an open scope (an HTTP request) the scope's budget is used.
    public var scriptBudget: ScriptBudget?

    /// Creates options.
    public init(batchSize: Int = BulkOptions.defaultBatchSize, stopOnError: Bool = false, scriptBudget: ScriptBudget? = nil) {
        self.batchSize = max(1, batchSize)
        self.stopOnError = stopOnError
        self.scriptBudget = scriptBudget
    }
}

/// One record a bulk write refused.
public struct BulkFailure: Sendable {
    /// Zero-based position in the input.
    public var index: Int
    /// Why.
    public var error: KernelError
}

/// What a bulk write did.
public struct BulkResult: Sendable {
    /// Records created.
    public var created: Int = 0
    /// Records refused (only when `stopOnError` is false).
    public var failures: [BulkFailure] = []
    /// Transactions committed.
    public var batches: Int = 0
}

extension RecordStore {
    /// Creates many records in batched transactions, with the same validation, hooks, audit,
    /// search indexing and events as single creates. Each batch commits whole; a crash loses at
    /// most the batch in flight, never part of one. Script hooks share one `ScriptBudget` for the
    /// whole write: when it runs out, the batch in flight rolls back and the write stops.
    ///
    /// With `access`, every record is created within that user's grants, scope and writable
    /// fields, exactly as a single create for them (`crm import --as`).
    public func bulkCreate(_ entity: String, _ rows: some Sequence<[String: Value]>, as user: ActingUser = .system,
                           access: AccessGuard? = nil, options: BulkOptions = BulkOptions(), progress: ((Int) -> Void)? = nil) throws -> BulkResult {
        try ScriptBudget.scope(options.scriptBudget ?? ScriptBudget(.bulk)) {
            try bulkCreateInBudget(entity, rows, as: user, access: access, options: options, progress: progress)
        }
    }

    private func bulkCreateInBudget(_ entity: String, _ rows: some Sequence<[String: Value]>, as user: ActingUser,
                                    access: AccessGuard?, options: BulkOptions, progress: ((Int) -> Void)?) throws -> BulkResult {
        _ = try schema.entity(entity)
        let budget = ScriptBudget.current
        var result = BulkResult()
        var batch: [(Int, [String: Value])] = []
        batch.reserveCapacity(options.batchSize)
        func flush() throws {
            guard !batch.isEmpty else { return }
            // A batch first runs without a savepoint per record; it runs again with them only
            // when a refused record had already written (`writeAttempts`).
            let (created, failures) = try writeAttempts(as: user, access: access) { tx, savepoints in
                try runBatch(tx, savepoints: savepoints)
            }
            result.created += created
            result.failures += failures
            result.batches += 1
            batch.removeAll(keepingCapacity: true)
            progress?(result.created)
        }
        func runBatch(_ tx: WriteContext, savepoints: Bool) throws -> (Int, [BulkFailure]) {
            var created = 0
            var failures: [BulkFailure] = []
            tx.isBulk = true
            for (index, values) in batch {
                do {
                    _ = try tx.attempt(savepoint: savepoints) { try tx.create(entity, values) }
                    created += 1
                } catch {
                    // A refusal, bare or one that had written (`UndoNeeded`, which runs the batch
                    // again with savepoints unless a stop ends the whole batch anyway).
                    let undo = error as? WriteContext.UndoNeeded
                    guard let refusal = (undo?.error ?? error) as? KernelError else { throw error }
                    if budget?.isExhausted == true || options.stopOnError { throw BulkStop(index: index, error: refusal) }
                    if let undo { throw undo }
                    failures.append(BulkFailure(index: index, error: refusal))
                }
            }
            return (created, failures)
        }
        do {
            try bulkWriting {
                for (index, row) in rows.enumerated() {
                    batch.append((index, row))
                    if batch.count >= options.batchSize { try flush() }
                }
                try flush()
            }
        } catch let stop as BulkStop {
            var error = stop.error
            error.message = "record \(stop.index + 1): \(error.description) (\(result.created) records in earlier batches were kept)"
            throw error
        }
        return result
    }
}

private struct BulkStop: Error {
    var index: Int
    var error: KernelError
}
