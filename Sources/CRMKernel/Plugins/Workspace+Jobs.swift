import Foundation
import GRDB

extension Workspace {
    /// The jobs of the enabled modules, in dependency order, then the kernel's
    /// `reports.scheduled_mail` when some report has a `schedule` (e-mailed weekly). Called by
    /// `crm serve`'s scheduler every second: the saved reports come from `SavedReportCache`,
    /// read again only after a report template was saved or deleted.
    public func scheduledJobs() throws -> [ScheduledJob] {
        let enabled = Set(try enabledModules())
        let jobs = registry.plugins.filter { enabled.contains($0.manifest.id) }.flatMap(\.jobs)
        let reports = allReports(enabled: enabled, saved: try savedReports())
        guard reports.contains(where: { $0.spec?.schedule != nil }) else { return jobs }
        return jobs + [ScheduledReportMail.job { reader in self.allReports(enabled: enabled, saved: try SavedReports.all(reader)) }]
    }

    /// The enabled modules' jobs with their last run and next run, as of `now`.
    public func jobStatuses(now: Date = Date()) throws -> [JobStatus] {
        let jobs = try scheduledJobs()
        let calendar = try store.read { try $0.workspaceCalendar() }
        let rows = try store.translate {
            try store.pool.read { db in
                try Row.fetchAll(db, sql: "SELECT job, last_run_at, succeeded, summary FROM _job_run")
            }
        }
        var last: [String: (Date, JobResult)] = [:]
        for row in rows {
            let id: String = row["job"]
            guard let at = DateCoding.parseInstant(row["last_run_at"]) else { continue }
            last[id] = (at, JobResult(id: id, summary: row["summary"], succeeded: (row["succeeded"] as Int64) != 0))
        }
        return jobs.map { job in
            let previous = last[job.id]
            return JobStatus(job: job, lastRun: previous?.0, lastResult: previous?.1,
                             nextRun: job.schedule.nextRun(after: previous?.0, now: now, calendar: calendar))
        }
    }

    /// Runs the jobs that are due at `now` (by their schedule and their last run kept in the
    /// database), each in its own transaction; what `crm serve`'s scheduler calls every second.
    public func runDueJobs(now: Date = Date()) throws -> [JobResult] {
        let due = try jobStatuses(now: now).filter { $0.nextRun <= now }.map(\.job)
        return due.map { run($0, now: now) }
    }

    /// Runs the enabled modules' jobs once (only those whose id is in `only`, when given), each
    /// in its own transaction, whether due or not; a failing job is reported and does not stop
    /// the others. Each run counts as the job's last run.
    public func runJobs(only: Set<String>? = nil, now: Date = Date()) throws -> [JobResult] {
        let jobs = try scheduledJobs()
        if let only, let unknown = only.subtracting(jobs.map(\.id)).sorted().first {
            throw KernelError(.notFound, "no job \(unknown) among the enabled modules (known: \(jobs.map(\.id).joined(separator: ", ")))")
        }
        return jobs.filter { only?.contains($0.id) ?? true }.map { run($0, now: now) }
    }

    /// One run: the job's work and its record in `_job_run` commit together; a failure rolls the
    /// work back and is recorded on its own, so the job waits for its next turn.
    private func run(_ job: ScheduledJob, now: Date) -> JobResult {
        do {
            let summary = try store.write(as: .system) { tx in
                let summary = try job.run(tx, now)
                try Self.recordRun(tx.db, job.id, now, succeeded: true, summary: summary)
                return summary
            }
            return JobResult(id: job.id, summary: summary, succeeded: true)
        } catch {
            let result = JobResult(id: job.id, summary: "\(error)", succeeded: false)
            try? store.translate { try store.pool.write { db in try Self.recordRun(db, job.id, now, succeeded: false, summary: result.summary) } }
            return result
        }
    }

    private static func recordRun(_ db: Database, _ id: String, _ at: Date, succeeded: Bool, summary: String) throws {
        try db.execute(sql: """
            INSERT INTO _job_run (job, last_run_at, succeeded, summary) VALUES (?, ?, ?, ?)
            ON CONFLICT(job) DO UPDATE SET last_run_at = excluded.last_run_at, succeeded = excluded.succeeded, summary = excluded.summary
            """, arguments: [id, DateCoding.iso(at), succeeded ? 1 : 0, String(summary.prefix(1000))])
    }
}
