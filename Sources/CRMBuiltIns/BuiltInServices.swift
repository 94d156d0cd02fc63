import CRMDataTransfer
import CRMKernel
import CRMServer
import CRMWeb
import Foundation

/// What the `crm` binary builds into `crm serve` besides the domain modules (`BuiltInPlugins`):
/// the web interface on the server's router, and scheduled backups beside it. The executable
/// names neither the web interface nor how backups run beside the server (only the schedule its
/// flags give); it passes this list to the server, as it passes the module list to the kernel.
public enum BuiltInServices {
    /// The contributions for one `crm serve`: the web interface always, scheduled backups when
    /// `backups` is given.
    public static func server(backups: BackupSchedule?, version: String) -> [any ServerContributor] {
        var list: [any ServerContributor] = [WebInterface()]
        if let backups { list.append(ScheduledBackups(schedule: backups, version: version)) }
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
