import Foundation

/// Periodic work a plugin asks for (task reminders, pool reclaim, stalled-deal warnings).
///
/// `crm serve` runs every enabled plugin's jobs when their schedule says so; `crm jobs run` runs
/// them once by hand. Each run is one write transaction as the system user: it commits whole or
/// not at all, so a job must be safe to run again (send notifications with a dedupe key). The
/// last run of each job is kept in the database (`_job_run`), so a restart does not run it again.
public struct ScheduledJob: Sendable {
    /// `<plugin>.<name>`, e.g. `customers.task_reminders`.
    public var id: String
    /// What the job does, for `crm jobs list` and logs.
    public var label: LocalizedText
    /// When it runs.
    public var schedule: JobSchedule
    /// The work: given the transaction and the run's time, returns a one-line summary.
    public var run: @Sendable (WriteContext, Date) throws -> String

    /// Creates a job that runs on `schedule`.
    public init(id: String, label: LocalizedText, schedule: JobSchedule,
                run: @escaping @Sendable (WriteContext, Date) throws -> String) {
        self.id = id
        self.label = label
        self.schedule = schedule
        self.run = run
    }

    /// Creates a job that runs every `interval` seconds (the same as `schedule: .every(interval)`).
    public init(id: String, label: LocalizedText, interval: TimeInterval,
                run: @escaping @Sendable (WriteContext, Date) throws -> String) {
        self.init(id: id, label: label, schedule: .every(interval), run: run)
    }
}

/// The outcome of one job run.
public struct JobResult: Sendable, Hashable {
    /// The job's id.
    public var id: String
    /// The summary it returned, or the error that rolled it back.
    public var summary: String
    /// False when the job threw (its writes were rolled back).
    public var succeeded: Bool
}

/// A job with its last run (from the database) and when it is next due.
public struct JobStatus: Sendable {
    /// The job.
    public var job: ScheduledJob
    /// When it last ran, or nil.
    public var lastRun: Date?
    /// The outcome of the last run, or nil.
    public var lastResult: JobResult?
    /// When it is next due (at or before now: due).
    public var nextRun: Date
}
