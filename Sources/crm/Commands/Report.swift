import ArgumentParser
import CRMKernel
import CRMReports
import Foundation

extension CRM {
    /// `crm report list|run|save|delete`: the workspace's reports (modules' built-in ones,
    /// the scripts' `crm.report` ones, those an administrator saved).
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List, run, save and delete reports (table, CSV, .xlsx or PDF).",
            subcommands: [List.self, RunReport.self, Save.self, Delete.self])

        /// `crm report list [--as USER]`.
        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the reports (those USER may run with --as).")
            @OptionGroup var options: WorkspaceOptions
            @Option(name: .customLong("as"), help: "List as this user: only the reports shared with their role.") var user: String?

            func run() throws {
                try reportingErrors {
                    let ws = try WorkspaceLoader.open(options).workspace
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
        struct RunReport: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a report and print or write it.")
            @OptionGroup var options: WorkspaceOptions
            @Argument(help: "The report's name (crm report list).") var name: String
            @Option(name: .customLong("param"), help: "A parameter, k=v (repeatable), e.g. --param period=2026-11.") var params: [String] = []
            @Option(help: "table, csv, xlsx, pdf, html or svg (default: from --out's extension, else table).") var format: String?
            @Option(help: "Write to this file (needed for xlsx and pdf).") var out: String?
            @Option(name: .customLong("as"), help: "Run as this user: only the records they see; fields hidden from them refused.") var user: String?
            @Option(help: "Headings in zh or en.") var lang = "zh"

            func run() throws {
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
                    let ws = try WorkspaceLoader.open(options).workspace
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
        struct Save: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Save a report spec (JSON, as POST /api/v1/reports takes it) under NAME.")
            @OptionGroup var options: WorkspaceOptions
            @Argument(help: "The report's name.") var name: String
            @Argument(help: "A JSON file with the spec (entity, filters, group_by, measures, parameters, roles).") var file: String

            func run() throws {
                try reportingErrors {
                    let ws = try WorkspaceLoader.open(options).workspace
                    guard let data = FileManager.default.contents(atPath: file) else { throw KernelError(.notFound, "\(file): cannot read the file") }
                    let spec = try SavedReports.decode(String(decoding: data, as: UTF8.self))
                    try ws.saveReport(name, spec: spec, as: AccessGuard.unrestricted)
                    say("saved report \(name)")
                }
            }
        }

        /// `crm report delete NAME`.
        struct Delete: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Delete a saved report.")
            @OptionGroup var options: WorkspaceOptions
            @Argument(help: "The saved report's name.") var name: String

            func run() throws {
                try reportingErrors {
                    let ws = try WorkspaceLoader.open(options).workspace
                    try ws.deleteReport(name, as: AccessGuard.unrestricted)
                    say("deleted report \(name)")
                }
            }
        }
    }
}
