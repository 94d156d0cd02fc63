import ArgumentParser
import CRMKernel
import CRMScripting
import CRMServer
import Foundation

/// `crm-bench`: measures the CRM against the machine's own limit, in one run.
@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crm-bench",
        abstract: "Benchmark the kernel and the Lua layer against raw SQLite on this machine.")

    @Option(help: "Customers to generate (the full run uses 1,000,000).") var scale = 1_000_000
    @Option(help: "Where to write the JSON report.") var json = "bench-report.json"
    @Option(name: .customLong("hook-records"), help: "Records in the with/without-Lua comparison (default: min(scale, 100000)).") var hookRecords: Int?
    @Option(help: "Single creates to time.") var singles = 2000
    @Option(help: "Iterations per read measurement.") var reads = 500
    @Option(name: .customLong("http-requests"), help: "Requests per HTTP load phase with the built-in client (no wrk).") var httpRequests = 20_000
    @Option(name: .customLong("http-seconds"), help: "Seconds per HTTP load phase with wrk.") var httpSeconds = 8
    @Option(help: "Opportunities to generate (default: the scale).") var opportunities: Int?
    @Option(help: "Iterations per opportunity report measurement.") var reportIterations = 10
    @Flag(name: .customLong("only-opportunities"), help: "Run only the opportunities section (and the orders section).") var onlyOpportunities = false
    @Option(name: .customLong("order-lines"), help: "Order lines to generate in the orders section (default: min(scale, 1000000)); 0 skips it.") var orderLines: Int?
    @Option(name: .customLong("order-products"), help: "Products in the orders section's catalog (default: min(order lines / 10, 100000), at least 50).") var orderProducts: Int?
    @Option(name: .customLong("installments"), help: "Payment installments in the finance section (default: min(scale, 1000000)); 0 skips it.") var installments: Int?
    @Option(help: "Products to generate in the products section (default: min(scale, 100000)).") var products: Int?
    @Flag(name: .customLong("only-products"), help: "Run only the products section.") var onlyProducts = false
    @Flag(name: .customLong("only-marketing"), help: "Run only the marketing section (--marketing-leads, --marketing-captures).") var onlyMarketing = false
    @Option(name: .customLong("marketing-leads"), help: "Leads in the marketing section's campaign (default: the scale).") var marketingLeads: Int?
    @Option(name: .customLong("payroll-employees"), help: "Employees in the payroll section (default 500); 0 skips it.") var payrollEmployees: Int?
    @Option(name: .customLong("payroll-credits"), help: "Credit-ledger entries over a year in the payroll section (default: min(scale, 1000000)).") var payrollCredits: Int?
    @Option(name: .customLong("marketing-captures"), help: "Posts through the capture path in the marketing section (default: min(5000, scale / 10)).") var marketingCaptures: Int?
    @Option(name: .customLong("service-tickets"), help: "Solved tickets for the service section's SLA report (default: the scale).") var serviceTickets: Int?
    @Option(name: .customLong("service-articles"), help: "Knowledge-base articles in the service section (default: min(scale, 100000)).") var serviceArticles: Int?
    @Flag(name: .customLong("only-service"), help: "Run only the service section (--service-tickets, --service-articles).") var onlyService = false
    @Flag(name: .customLong("only-hooks"), help: "Run only the Lua hook comparison (--hook-records records; for profiling the hook inside the kernel).") var onlyHooks = false
    @Flag(name: .customLong("only-data"), help: "Import the customers, then run only the data section (CSV and .xlsx imports with 查重, .xlsx export, backup).") var onlyData = false
    @Flag(name: .customLong("only-reads"), help: "Import the customers (taking turns with the same-work limit), then run only the single creates, the reads (full-text searches included) and the 公海 reclaim.") var onlyReads = false
    @Flag(name: .customLong("only-http"), help: "Import the customers, then run only the HTTP section (with the create-tail profile) and the web pages.") var onlyHTTP = false
    @Option(help: "Folder for the temporary workspaces (removed afterwards).") var tmp: String?
    @Flag(help: "Keep the workspaces afterwards, to inspect them.") var keep = false

    mutating func validate() throws {
        guard scale >= 100 else { throw ValidationError("--scale must be at least 100") }
        guard singles > 0, reads > 0, reportIterations > 0 else { throw ValidationError("--singles, --reads and --report-iterations must be positive") }
        guard (products ?? 100) >= 100 else { throw ValidationError("--products must be at least 100") }
        guard (opportunities ?? 100) >= 100 else { throw ValidationError("--opportunities must be at least 100") }
    }

    func run() throws {
        EventLoopExecutor.install()  // as `crm serve` does
        let root = URL(fileURLWithPath: tmp ?? FileManager.default.temporaryDirectory.path)
            .appendingPathComponent("crm-bench-\(ProcessInfo.processInfo.processIdentifier)")
        // A folder of this name is left over from a killed run whose pid this process reuses.
        try? FileManager.default.removeItem(at: root)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { if !keep { try? FileManager.default.removeItem(at: root) } }
        var report = BenchReport(scale: scale)
        let memory = MemoryTracker()
        let started = Date()
        let data = CustomerData(count: scale, seed: 7)
        let hookCount = min(hookRecords ?? 100_000, scale)
        if onlyMarketing {
            report.marketing = try memory.measure("marketing") { try measureMarketing(root) }
            return try write(&report, started, memory)
        }
        if onlyOpportunities || onlyProducts { return try finish(&report, started, root, memory) }
        if onlyService {
            try measureService(&report, root, memory)
            return try write(&report, started, memory)
        }
        if onlyData {
            progress("bulk import: \(scale) customers, then data in and out")
            let full = try memory.measure("bulk import") { try KernelBench.bulkImport(data, in: root.appendingPathComponent("full"), scripts: true, keepOpen: true) }
            report.bulkRowsPerSecond = full.rowsPerSecond
            guard let host = full.host else { throw ValidationError("workspace was not kept open") }
            try measureData(&report, data, host, root, memory)
            host.workspace.close()
            return try write(&report, started, memory)
        }
        if onlyHTTP {
            progress("bulk import: \(scale) customers, then the HTTP API")
            let host = try importAlongsideLimit(&report, data, root, memory)
            report.http = try memory.measure("HTTP") { try HTTPBench.measure(host, scale: scale, requests: httpRequests, seconds: httpSeconds, in: root) }
            report.hardening = try hardeningCost(report.http)
            report.web = try memory.measure("web pages") { try WebBench.measure(host, scale: scale, requests: 5_000, seconds: httpSeconds, in: root) }
            host.workspace.close()
            return try write(&report, started, memory)
        }

        if onlyReads {
            progress("bulk import: \(scale) customers, then single creates, reads and the 公海 reclaim")
            let host = try importAlongsideLimit(&report, data, root, memory)
            try measureReads(&report, host, memory)
            host.workspace.close()
            return try write(&report, started, memory)
        }

        if onlyHooks {
            try memory.measure("Lua hook comparison") { try measureHooks(&report, data, hookCount, root) }
            return try write(&report, started, memory)
        }

        progress("limit: raw SQLite, \(scale) rows")
        report.limitRowsPerSecond = try memory.measure("limit: raw insert") { try RawSQLiteLimit.measure(data, in: root.appendingPathComponent("raw")) }

        try memory.measure("Lua hook comparison") { try measureHooks(&report, data, hookCount, root) }

        progress("bulk import: \(scale) customers through the kernel with the stock pack")
        let host = try importAlongsideLimit(&report, data, root, memory)

        try measureReads(&report, host, memory)

        try measureData(&report, data, host, root, memory)

        progress("HTTP API at \(scale) customers over 16 connections (\(WrkLoad.executable == nil ? "built-in client" : "wrk"))")
        report.http = try memory.measure("HTTP") { try HTTPBench.measure(host, scale: scale, requests: httpRequests, seconds: httpSeconds, in: root) }
        report.hardening = try hardeningCost(report.http)

        let webRequests = max(16, min(httpRequests / 4, 5_000))
        progress("web pages at \(scale) customers over 16 connections: list, detail and kanban (\(WrkLoad.executable == nil ? "built-in client, \(webRequests) requests each" : "wrk"))")
        report.web = try memory.measure("web pages") { try WebBench.measure(host, scale: scale, requests: webRequests, seconds: httpSeconds, in: root) }
        host.workspace.close()
        try finish(&report, started, root, memory)
    }

    /// Runs the opportunities section, then prints and writes the report.
    func finish(_ report: inout BenchReport, _ started: Date, _ root: URL, _ memory: MemoryTracker) throws {
        if !onlyProducts {
            report.opportunities = try memory.measure("opportunities") { try OpportunityBench.measure(root.appendingPathComponent("opportunities"), count: opportunities ?? scale,
                                                                iterations: reportIterations, progress: progress) }
            let lines = orderLines ?? min(scale, 1_000_000)
            if lines > 0 {
                report.orders = try memory.measure("orders") { try OrderBench.measure(root.appendingPathComponent("orders"), lines: lines,
                                                       products: orderProducts ?? max(50, min(lines / 10, 100_000)),
                                                       iterations: reportIterations, progress: progress) }
            }
            let plans = installments ?? min(scale, 1_000_000)
            if plans > 0 {
                report.finance = try memory.measure("finance") { try FinanceBench.measure(root.appendingPathComponent("finance"), installments: plans,
                                                          iterations: reportIterations, progress: progress) }
            }
            report.marketing = try memory.measure("marketing") { try measureMarketing(root) }
            let employees = payrollEmployees ?? 500
            if employees > 0 {
                report.payroll = try memory.measure("payroll") { try PayrollBench.measure(root.appendingPathComponent("payroll"), employees: employees,
                                                          credits: payrollCredits ?? min(scale, 1_000_000), progress: progress) }
            }
            try measureService(&report, root, memory)
        }
        if !onlyOpportunities {
            report.products = try memory.measure("products") { try ProductBench.measure(root.appendingPathComponent("products"), count: products ?? min(scale, 100_000),
                                                       iterations: reportIterations, progress: progress) }
        }
        try write(&report, started, memory)
    }

    /// Completes the report with the memory and the time, prints its table and writes its JSON.
    func write(_ report: inout BenchReport, _ started: Date, _ memory: MemoryTracker) throws {
        report.memoryBySection = memory.sections
        report.peakRSSMiB = memory.overallPeakMiB
        report.totalSeconds = Date().timeIntervalSince(started)
        print(report.table())
        try report.write(to: URL(fileURLWithPath: json))
        progress("report written to \(json)")
    }

    /// The bulk import of `data` with the stock pack into a workspace kept open, taking turns
    /// chunk by chunk with the same-work limit (`RawSameWorkLimit`) over the same rows, so the
    /// ratio between them is measured under the same load. Both rates go into the report.
    func importAlongsideLimit(_ report: inout BenchReport, _ data: CustomerData, _ root: URL, _ memory: MemoryTracker) throws -> ScriptHost {
        progress("bulk import of \(scale) customers, taking turns with raw SQLite doing the same work per record (row, full-text, tags, audit, outbox)")
        let limit = try RawSameWorkLimit(in: root.appendingPathComponent("same-work"))
        let full = try memory.measure("bulk import") {
            try KernelBench.bulkImport(data, in: root.appendingPathComponent("full"), scripts: true, keepOpen: true, alongside: limit)
        }
        report.sameWorkLimitRowsPerSecond = try limit.finish()
        report.bulkRowsPerSecond = full.rowsPerSecond
        guard let host = full.host else { throw ValidationError("workspace was not kept open") }
        return host
    }

    /// Single creates, the reads and the 公海 reclaim on the imported workspace.
    func measureReads(_ report: inout BenchReport, _ host: ScriptHost, _ memory: MemoryTracker) throws {
        progress("single creates: \(singles)")
        report.singleCreate = try memory.measure("single creates") { try KernelBench.singleCreates(host, count: singles, seed: 99) }

        progress("reads at \(scale) customers: \(reads) iterations each")
        report.reads = try memory.measure("reads") { try ReadBench.measure(host, iterations: reads, scale: scale) }

        progress("公海 reclaim pass over \(scale) customers (dry run, then a real run)")
        report.reclaim = try memory.measure("公海 reclaim") { try PoolBench.measure(host) }
    }

    /// The data section on the imported workspace: CSV and .xlsx imports with 查重, the .xlsx
    /// export of the whole book and a backup while reads go on.
    func measureData(_ report: inout BenchReport, _ data: CustomerData, _ host: ScriptHost, _ root: URL, _ memory: MemoryTracker) throws {
        let importCount = min(max(scale / 10, 100), 100_000)  // 100,000 in the full run
        progress("data in and out: \(importCount) customers from CSV and .xlsx with 查重, .xlsx export and backup of \(scale)")
        report.dataTransfer = try memory.measure("data in and out") { try DataTransferBench.measure(data, importCount: importCount, host: host, in: root.appendingPathComponent("data")) }
    }

    /// The service section: SLA state, SLA report, routing and knowledge-base search.
    func measureService(_ report: inout BenchReport, _ root: URL, _ memory: MemoryTracker) throws {
        report.service = try memory.measure("service") { try ServiceBench.measure(root.appendingPathComponent("service"), tickets: serviceTickets ?? scale,
                                                  articles: serviceArticles ?? min(scale, 100_000), progress: progress) }
    }

    /// The marketing section at its sizes (`--marketing-leads`, `--marketing-captures`).
    func measureMarketing(_ root: URL) throws -> MarketingBench.Results {
        try MarketingBench.measure(root.appendingPathComponent("marketing"), leads: marketingLeads ?? scale,
                                   captures: marketingCaptures ?? min(5000, max(10, scale / 10)), progress: progress)
    }

    /// The Lua hook comparison: the same rows into four workspaces taking turns, and the hook
    /// called alone on a bare Lua state.
    func measureHooks(_ report: inout BenchReport, _ data: CustomerData, _ hookCount: Int, _ root: URL) throws {
        progress("Lua hook overhead: \(hookCount) records with and without the stock pack")
        let hosts = try [
            KernelBench.importWorkspace(root.appendingPathComponent("plain"), scripts: false),
            KernelBench.importWorkspace(root.appendingPathComponent("swifthook"), scripts: false, swiftHook: true),
            KernelBench.importWorkspace(root.appendingPathComponent("packnohooks"), scripts: true, luaHooks: false),
            KernelBench.importWorkspace(root.appendingPathComponent("scripted"), scripts: true),
        ]
        defer { for host in hosts { host.workspace.close() } }
        // The direct measure: the stock pack's customer hook timed inside the kernel's writes.
        let timer = HookTimer()
        try timer.instrument(hosts[3].workspace, entity: "customer")
        let comparison = try KernelBench.interleavedImports(data.prefix(hookCount), into: hosts)
        let (plain, swiftHook, packWithoutHooks, scripted) = (comparison[0], comparison[1], comparison[2], comparison[3])
        report.bulkWithSwiftHookRowsPerSecond = swiftHook.rowsPerSecond
        report.bulkWithoutScriptsRowsPerSecond = plain.rowsPerSecond
        report.bulkWithPackWithoutHooksRowsPerSecond = packWithoutHooks.rowsPerSecond
        report.bulkWithScriptsSmallRowsPerSecond = scripted.rowsPerSecond
        // The hook alone: the same pack with and without its crm.on lines.
        report.hookOverheadMicroseconds = (scripted.seconds - packWithoutHooks.seconds) / Double(hookCount) * 1e6
        report.packOverheadMicroseconds = (scripted.seconds - plain.seconds) / Double(hookCount) * 1e6
        report.hookInKernelMicroseconds = timer.microsecondsPerCall
        report.hookClockInPlaceMicroseconds = timer.inPlaceClockNanoseconds / 1e3
        report.hookClockInLoopMicroseconds = timer.loopClockNanoseconds / 1e3

        report.hookCallMicroseconds = try LuaMicro.hookCallMicroseconds(iterations: 100_000)
        report.hookCallFormattedPhoneMicroseconds = try LuaMicro.hookCallMicroseconds(iterations: 100_000, phone: "+86 138-0013-8000")
    }

    /// The API hardening's checks against the request costs of this run's HTTP phases.
    func hardeningCost(_ http: HTTPBench.Results?) throws -> HardeningCost.Results? {
        guard let http else { return nil }
        progress("API hardening: the checks a request passes, timed alone against this run's request costs")
        return try HardeningCost.measure(createsPerSecond: http.creates.requestsPerSecond, readsPerSecond: http.getByID.requestsPerSecond,
                                         cores: ProcessInfo.processInfo.activeProcessorCount)
    }

    func progress(_ text: String) {
        FileHandle.standardError.write(Data("[crm-bench] \(text)\n".utf8))
    }
}
