import ArgumentParser
import CRMCommandSupport
import CRMKernel
import Foundation

/// `crm report list|run|save|delete`: the workspace's reports (modules' built-in ones,
/// the scripts' `crm.report` ones, those an administrator saved).
/// `Opener` opens the workspace as every `crm` command does; the built-in list supplies it.
public struct ReportCommand<Opener: WorkspaceOpening>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "report",
            abstract: "List, run, save and delete reports (table, CSV, .xlsx or PDF).",
            subcommands: [List.self, RunReport.self, Save.self, Delete.self])
    }

    /// The group as parsed from the command line.
    public init() {}

    /// `crm report list [--as USER]`.
    public struct List: ParsableCommand {
        public static var configuration: CommandConfiguration { CommandConfiguration(commandName: "list", abstract: "List the reports (those USER may run with --as).") }

        /// A command as parsed from the command line.
        public init() {}

        @OptionGroup var options: WorkspaceOptions
        @Option(name: .customLong("as"), help: "List as this user: only the reports shared with their role.") var user: String?

        public func run() throws {
            try reportingErrors {
                let ws = try Opener.openWorkspace(options.directory)
                let acting = try ActingUserResolver.resolve(user, in: ws)
                let access = try ActingUserResolver.access(acting, asked: user != nil, in: ws)
                let rows = try ws.reports(as: access).map { r in
                    [r.name, r.title.zh, r.origin.label, r.parameters.map { p in p.defaultValue.map { "\(p.name)=\($0)" } ?? p.name }.joined(separator: " ")]
                }
                print(TextTable.render(header: ["name", "title", "origin", "parameters"], rows: rows))
            }
        }
    }

    /// `crm report run NAME --param k=v --format table|csv|xlsx|pdf|html|svg --out FILE [--as USER]`.
    public struct RunReport: ParsableCommand {
        public static var configuration: CommandConfiguration { CommandConfiguration(commandName: "run", abstract: "Run a report and print or write it.") }

        /// A command as parsed from the command line.
        public init() {}

        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "The report's name (crm report list).") var name: String
        @Option(name: .customLong("param"), help: "A parameter, k=v (repeatable), e.g. --param period=2026-11.") var params: [String] = []
        @Option(help: "table, csv, xlsx, pdf, html or svg (default: from --out's extension, else table).") var format: String?
        @Option(help: "Write to this file (needed for xlsx and pdf).") var out: String?
        @Option(name: .customLong("as"), help: "Run as this user: only the records they see; fields hidden from them refused.") var user: String?
        @Option(help: "Headings in zh or en.") var lang = "zh"

        public func run() throws {
            try reportingErrors {
                var parameters: [String: String] = [:]
                for p in params {
                    guard let eq = p.firstIndex(of: "="), eq != p.startIndex else {
                        throw KernelError(.validation, "--param '\(p)': expected k=v")
                    }
                    parameters[String(p[..<eq])] = String(p[p.index(after: eq)...])
                }
                let chosen = try ReportFormat(parsing: format ?? out.map { URL(fileURLWithPath: $0).pathExtension }.flatMap { $0.isEmpty ? nil : $0 } ?? "table")
                if (chosen == .xlsx || chosen == .pdf), out == nil { throw KernelError(.validation, "--format \(chosen.rawValue) needs --out FILE") }
                let ws = try Opener.openWorkspace(options.directory)
                let acting = try ActingUserResolver.resolve(user, in: ws)
                let access = try ActingUserResolver.access(acting, asked: user != nil, in: ws)
                let table = try ws.runReport(name, parameters: parameters, as: access, language: lang == "en" ? "en" : "zh")
                let data = try ReportRenderer.render(table, as: chosen, language: lang)
                if let out {
                    guard FileManager.default.createFile(atPath: out, contents: data) else { throw KernelError(.storage, "\(out): cannot write the file") }
                    FileHandle.standardError.write(Data("wrote \(name) (\(table.rows.count) row(s)) to \(out)\n".utf8))
                } else {
                    FileHandle.standardOutput.write(data)
                }
            }
        }
    }

    /// `crm report save NAME FILE.json --as ADMIN`.
    public struct Save: ParsableCommand {
        public static var configuration: CommandConfiguration { CommandConfiguration(commandName: "save", abstract: "Save a report spec (JSON, as POST /api/v1/reports takes it) under NAME.") }

        /// A command as parsed from the command line.
        public init() {}

        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "The report's name.") var name: String
        @Argument(help: "A JSON file with the spec (entity, filters, group_by, measures, parameters, roles).") var file: String

        public func run() throws {
            try reportingErrors {
                let ws = try Opener.openWorkspace(options.directory)
                guard let data = FileManager.default.contents(atPath: file) else { throw KernelError(.notFound, "\(file): cannot read the file") }
                let spec = try SavedReports.decode(String(decoding: data, as: UTF8.self))
                try ws.saveReport(name, spec: spec, as: AccessGuard.unrestricted)
                say("saved report \(name)")
            }
        }
    }

    /// `crm report delete NAME`.
    public struct Delete: ParsableCommand {
        public static var configuration: CommandConfiguration { CommandConfiguration(commandName: "delete", abstract: "Delete a saved report.") }

        /// A command as parsed from the command line.
        public init() {}

        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "The saved report's name.") var name: String

        public func run() throws {
            try reportingErrors {
                let ws = try Opener.openWorkspace(options.directory)
                try ws.deleteReport(name, as: AccessGuard.unrestricted)
                say("deleted report \(name)")
            }
        }
    }
}
