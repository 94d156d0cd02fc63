import ArgumentParser
import CRMKernel
import CRMPlugins
import CRMScripting
import CRMServer
import Foundation
import Logging

extension CRM {
    /// `crm serve [--host 127.0.0.1] [--port 8080]`: the HTTP API and the web interface, with the scheduler and webhooks.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Serve the HTTP API (and run scheduled jobs and webhooks) until SIGTERM or SIGINT.")
        @OptionGroup var options: WorkspaceOptions
        @Option(help: "Address to listen on.") var host = "127.0.0.1"
        @Option(help: "Port to listen on (0 picks a free one).") var port = 8080
        @Option(name: .customLong("max-body"), help: "Largest request body in bytes.") var maxBody = 1 << 20
        @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.") var logLevel = "info"
        @Option(name: .customLong("idle-timeout"), help: "Seconds a connection may wait for a complete request head before it is closed.") var idleTimeout: Double = 15
        @Option(name: .customLong("max-connections-per-address"), help: "Most connections open at once from one client address.") var maxConnections = 256
        @Flag(name: .customLong("no-jobs"), help: "Do not run the modules' scheduled jobs.") var noJobs = false
        @Flag(name: .customLong("no-webhooks"), help: "Do not deliver webhooks.") var noWebhooks = false
        @Flag(name: .customLong("no-messages"), help: "Do not send queued e-mails and text messages.") var noMessages = false
        @Option(name: .customLong("backup-dir"), help: "Take scheduled backups into this folder (daily and weekly, checked hourly).") var backupDir: String?
        @Option(name: .customLong("backup-keep-daily"), help: "Daily backups kept.") var keepDaily = 7
        @Option(name: .customLong("backup-keep-weekly"), help: "Weekly backups kept.") var keepWeekly = 4

        func run() async throws {
            guard let level = Logger.Level(rawValue: logLevel) else { throw ValidationError("unknown log level \(logLevel)") }
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            var opened: ScriptHost?
            try reportingErrors { opened = try WorkspaceLoader.open(options) }
            guard let scriptHost = opened else { return }
            var config = ServerConfiguration(host: host, port: port, maxBodyBytes: maxBody, runJobs: !noJobs, deliverWebhooks: !noWebhooks)
            guard idleTimeout > 0, maxConnections > 0 else { throw ValidationError("--idle-timeout and --max-connections-per-address must be positive") }
            config.idleTimeout = idleTimeout
            config.sendMessages = !noMessages
            config.maxConnectionsPerAddress = maxConnections
            let contributors = BuiltInServices.server(backupDirectory: backupDir.map { URL(fileURLWithPath: $0) },
                                                      keepDaily: keepDaily, keepWeekly: keepWeekly, version: CRMVersion.string)
            let server = APIServer(host: scriptHost, configuration: config, logger: Logger(label: "crm.server"), contributors: contributors)
            try scriptHost.workspace.store.setAutomaticCheckpoints(false)
            let host = self.host
            try await server.run { port in
                FileHandle.standardOutput.write(Data("listening on http://\(host):\(port)\n".utf8))
            }
            try? scriptHost.workspace.store.setAutomaticCheckpoints(true)
        }
    }
}
