import Foundation

/// The kernel's `reports.scheduled_mail` job: every report whose spec has a `schedule` (a
/// script's `crm.report` or a saved `report_template`) is run as the system once per ISO week,
/// on its weekday or at the first run after it that week, and e-mailed through the outbox to
/// each recipient. The body is the text table (the `table` output) and the link path of the
/// report page; messages are keyed `report:<name>:<2026-W49>:<address>`, so a week's mail is
/// queued once however often the job runs.
enum ScheduledReportMail {
    /// The job id.
    static let id = "reports.scheduled_mail"

    /// The job; `reports` lists the workspace's reports (read before the job's transaction).
    static func job(reports: @escaping @Sendable (RecordReader) throws -> [ReportDefinition]) -> ScheduledJob {
        ScheduledJob(id: id, label: LocalizedText("定时报表邮件", en: "Scheduled report e-mails"), interval: 3600) { tx, now in
            "\(try run(tx, now: now, reports: try reports(tx.asSystem { tx.reader }))) report e-mail(s) queued"
        }
    }

    /// Queues the mails due at `now`; returns how many were new.
    static func run(_ tx: WriteContext, now: Date, reports: [ReportDefinition]) throws -> Int {
        let reader = tx.asSystem { tx.reader }
        let calendar = try reader.workspaceCalendar()
        let (week, weekday) = ReportSchedule.isoWeek(of: now, in: calendar)
        let c = calendar.dateComponents([.year, .month, .day], from: now)
        let today = String(format: "%04d-%02d-%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1)
        var queued = 0
        for report in reports {
            guard let schedule = report.spec?.schedule, schedule.weekday <= weekday else { continue }
            let keys = schedule.to.map { "report:\(report.name):\(week):\($0.lowercased())" }
            if try keys.allSatisfy({ try !reader.ids("message", where: "key", equals: .text($0), limit: 1).isEmpty }) { continue }
            var values: [String: ReportArgument] = [:]
            for p in report.parameters {
                if let v = try p.argument(schedule.value(for: p.name), today: today, reader: reader) { values[p.name] = v }
            }
            let table = try report.run(ReportContext(reader: reader, access: nil, arguments: ReportArguments(values: values, today: today)))
            let subject = "\(report.title.zh)（\(week)）"
            let body = table.plainText + "\n" + "/reports/\(report.name)" + query(schedule, report) + "\n"
            for (address, key) in zip(schedule.to, keys) {
                if try tx.sendMessage(.email(to: address, subject: subject, body: body, key: key, source: id)) != nil { queued += 1 }
            }
        }
        return queued
    }

    /// `?period=last_month&…` for the report page link (the schedule's parameters).
    private static func query(_ schedule: ReportSchedule, _ report: ReportDefinition) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?")
        let pairs = report.parameters.compactMap { p in
            schedule.value(for: p.name).map { "\(p.name)=\($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0)" }
        }
        return pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&")
    }
}
