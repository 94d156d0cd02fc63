import Foundation

/// Periodic work a plugin asks for (task reminders, pool reclaim, stalled-deal warnings).
///
/// `crm serve` runs every enabled plugin's jobs on their interval; `crm jobs run` runs them once
/// by hand. Each run is one write transaction as the system user: it commits whole or not at all,
/// so a job must be safe to run again (send notifications with a dedupe key).
public struct ScheduledJob: Sendable {
    /// `<plugin>.<name>`, e.g. `customers.task_reminders`.
    public var id: String
    /// What the job does, for `crm jobs list` and logs.
    public var label: LocalizedText
    /// Seconds between runs.
    public var interval: TimeInterval
    /// The work: given the transaction and the run's time, returns a one-line summary.
    public var run: @Sendable (WriteContext, Date) throws -> String

    /// Creates a job.
    public init(id: String, label: LocalizedText, interval: TimeInterval,
                run: @escaping @Sendable (WriteContext, Date) throws -> String) {
        self.id = id
        self.label = label
        self.interval = interval
        self.run = run
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

extension Workspace {
    /// The jobs of the enabled modules, in dependency order.
    public func scheduledJobs() throws -> [ScheduledJob] {
        let enabled = Set(try enabledModules())
        return registry.plugins.filter { enabled.contains($0.manifest.id) }.flatMap(\.jobs)
    }

    /// Runs the enabled modules' jobs once (only those whose id is in `only`, when given), each
    /// in its own transaction; a failing job is reported and does not stop the others.
    public func runJobs(only: Set<String>? = nil, now: Date = Date()) throws -> [JobResult] {
        let jobs = try scheduledJobs()
        if let only, let unknown = only.subtracting(jobs.map(\.id)).sorted().first {
            throw KernelError(.notFound, "no job \(unknown) among the enabled modules (known: \(jobs.map(\.id).joined(separator: ", ")))")
        }
        return jobs.filter { only?.contains($0.id) ?? true }.map { job in
            do {
                let summary = try store.write(as: .system) { tx in try job.run(tx, now) }
                return JobResult(id: job.id, summary: summary, succeeded: true)
            } catch {
                return JobResult(id: job.id, summary: "\(error)", succeeded: false)
            }
        }
    }
}
