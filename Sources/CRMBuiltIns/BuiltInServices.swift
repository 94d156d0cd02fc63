import CRMDataTransfer
import CRMKernel
import CRMServer
import CRMWeb
import Foundation

/// What the `crm` binary builds into `crm serve` besides the domain modules (`BuiltInPlugins`):
/// the web interface on the server's router, and scheduled backups beside it. The executable
/// names neither; it passes this list to the server, as it passes the module list to the kernel.
public enum BuiltInServices {
    /// The contributions for one `crm serve`: the web interface always, scheduled backups when
    /// `backups` is given.
    public static func server(backups: BackupSettings?, version: String) -> [any ServerContributor] {
        var list: [any ServerContributor] = [WebInterface()]
        if let backups { list.append(ScheduledBackups(settings: backups, version: version)) }
        return list
    }
}

/// `crm serve --backup-dir DIR [--backup-keep-daily N] [--backup-keep-weekly N]`.
public struct BackupSettings: Sendable {
    /// The folder backups are written to.
    public var directory: URL
    /// Daily backups kept.
    public var keepDaily: Int
    /// Weekly backups kept.
    public var keepWeekly: Int

    /// Settings for backups into `directory`.
    public init(directory: URL, keepDaily: Int = 7, keepWeekly: Int = 4) {
        self.directory = directory
        self.keepDaily = keepDaily
        self.keepWeekly = keepWeekly
    }
}

/// Takes the daily and weekly backups when they are due (checked at start, then hourly), on
/// the server's worker threads; stops with the server.
struct ScheduledBackups: ServerContributor {
    let settings: BackupSettings
    let version: String

    func backgroundWork(for server: APIServer) -> [BackgroundWork] {
        let schedule = BackupSchedule(directory: settings.directory, keepDaily: settings.keepDaily, keepWeekly: settings.keepWeekly)
        let workspace = server.host.workspace, version = self.version
        return [BackgroundWork(name: "backups", every: .seconds(3600)) {
            let written = try await server.blocking { try schedule.runDue(workspace, version: version) }
            for file in written { server.logger.info("scheduled backup written: \(file.path)") }
        }]
    }
}
