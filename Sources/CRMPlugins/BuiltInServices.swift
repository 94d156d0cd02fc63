import CRMDataTransfer
import CRMKernel
import CRMServer
import CRMWeb
import Foundation

/// What the `crm` binary builds into `crm serve` besides the domain modules (`BuiltInPlugins`):
/// the web interface on the server's router, and scheduled backups beside it. It sits beside the
/// module list (`BuiltInPlugins`): the executable names neither, it passes this list to the
/// server as it passes the module list to the kernel.
public enum BuiltInServices {
    /// The contributions for one `crm serve`: the web interface always, and daily and weekly
    /// backups into `backupDirectory` when one is given (keeping the newest `keepDaily` and
    /// `keepWeekly`).
    public static func server(backupDirectory: URL?, keepDaily: Int = 7, keepWeekly: Int = 4, version: String) -> [any ServerContributor] {
        var list: [any ServerContributor] = [WebInterface()]
        if let backupDirectory {
            let schedule = BackupSchedule(directory: backupDirectory, keepDaily: keepDaily, keepWeekly: keepWeekly)
            list.append(ScheduledBackups(schedule: schedule, version: version))
        }
        return list
    }
}

/// Takes the daily and weekly backups when they are due (checked at start, then hourly), on
/// the server's worker threads; stops with the server.
struct ScheduledBackups: ServerContributor {
    let schedule: BackupSchedule
    let version: String

    func backgroundWork(for server: APIServer) -> [BackgroundWork] {
        let schedule = self.schedule
        let workspace = server.host.workspace, version = self.version
        return [BackgroundWork(name: "backups", every: .seconds(3600)) {
            let written = try await server.blocking { try schedule.runDue(workspace, version: version) }
            for file in written { server.logger.info("scheduled backup written: \(file.path)") }
        }]
    }
}
