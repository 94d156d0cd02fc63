import CRMKernel
import CRMPlugins
import CRMScripting
import Foundation

/// Writes through the kernel: the bulk path and single creates.
enum KernelBench {
    struct Timed {
        var seconds: Double
        var rowsPerSecond: Double
        var host: ScriptHost?
    }

    /// The repository's stock pack (the kernel's part), found from this source file.
    static var stockPack: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/stock").standardizedFileURL
    }

    /// The customers module's stock scripts, found from this source file.
    static var customerScripts: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Plugins/Customers/Scripts").standardizedFileURL
    }

    /// A fresh workspace with the bench users; with `scripts`, the stock pack is active (without
    /// `luaHooks`, with its `crm.on(...)` calls neutralized: same fields, choices and rules, no Lua hooks).
    static func open(_ dir: URL, scripts: Bool, luaHooks: Bool = true) throws -> ScriptHost {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let ws = try Workspace(directory: dir, registry: try BuiltInPlugins.registry(), create: true, configure: false)
        if scripts {
            let pack = dir.appendingPathComponent("scripts")
            try Workspace.copyScripts(from: stockPack, into: pack)
            try ws.installModuleScripts()
            if !luaHooks {
                for name in try FileManager.default.contentsOfDirectory(atPath: pack.path) where name.hasSuffix(".lua") {
                    let file = pack.appendingPathComponent(name)
                    // `crm.on(event, fn)` becomes `select(1, event, fn)`: the call still parses (a
                    // hook may span many lines) but registers nothing.
                    let kept = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
                        .map { $0.hasPrefix("crm.on(") ? "select(1, " + $0.dropFirst("crm.on(".count) : $0 }
                    try kept.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
                }
            }
        } else {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("scripts"), withIntermediateDirectories: true)
        }
        let host = try ScriptHost(workspace: ws)
        try ws.store.write(as: .system) { tx in
            for i in 1...CustomerData.users {
                try tx.create("user", ["name": .text("rep\(i)"), "display_name": .text("销售\(i)"), "role": .text("sales_rep")])
            }
        }
        return host
    }

    /// A fresh workspace for an import: with `scripts`, the stock pack; with `swiftHook`, a Swift
    /// before_save hook that only reads one value (the hook machinery alone).
    static func importWorkspace(_ dir: URL, scripts: Bool, luaHooks: Bool = true, swiftHook: Bool = false) throws -> ScriptHost {
        let host = try open(dir, scripts: scripts, luaHooks: luaHooks)
        if swiftHook {
            var hooks = HookSet()
            hooks.onBeforeSave("customer") { ctx in _ = ctx.values["phone"] }
            try host.workspace.applyCompany(CompanyContributions(hooks: hooks))
        }
        return host
    }

    /// Imports `rows` through `RecordStore.bulkCreate` in batches of its default size (as `crm
    /// import`); returns the time taken.
    static func importRows(_ rows: [[String: Value]], into host: ScriptHost) throws -> UInt64 {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try host.workspace.store.bulkCreate("customer", rows, options: BulkOptions())
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        guard result.created == rows.count else {
            throw KernelError(.validation, "bench import refused \(result.failures.count) rows: \(result.failures.first?.error.description ?? "")")
        }
        return elapsed
    }

    /// The ids of the first `limit` records of `entity` in id order, read a page at a time, so the
    /// benchmark never holds thousands of whole records only for their ids (it counted in the
    /// products section's peak memory).
    static func ids(_ store: RecordStore, _ entity: String, limit: Int) throws -> [Int64] {
        var ids: [Int64] = []
        var query = Query(entity, sort: [SortKey("id")], limit: min(limit, 5_000))
        while ids.count < limit {
            let page = try store.read { try $0.find(query) }
            ids += page.records.prefix(limit - ids.count).map(\.id)
            guard let next = page.nextCursor else { break }
            query.after = next
        }
        return ids
    }

    /// Imports all of `data` into a fresh workspace and times it (generating rows is not timed).
    /// With `limit`, the same rows are written to it too, chunk by chunk, taking turns at going
    /// first, so whatever else the machine does weighs on the import and its limit alike.
    static func bulkImport(_ data: CustomerData, in dir: URL, scripts: Bool, keepOpen: Bool = false,
                           alongside limit: RawSameWorkLimit? = nil) throws -> Timed {
        let host = try importWorkspace(dir, scripts: scripts)
        var nanoseconds: UInt64 = 0
        for (n, chunk) in data.chunks(of: 10_000).enumerated() {
            let rows = data.rows(chunk)
            if n % 2 == 1 { try limit?.write(rows) }
            nanoseconds += try importRows(rows, into: host)
            if n % 2 == 0 { try limit?.write(rows) }
        }
        let seconds = Double(nanoseconds) / 1e9
        if !keepOpen { host.workspace.close() }
        return Timed(seconds: seconds, rowsPerSecond: Double(data.count) / seconds, host: keepOpen ? host : nil)
    }

    /// Imports the same rows into several workspaces a chunk at a time, taking turns, so that
    /// whatever else the machine is doing weighs on each of them alike. One result per host.
    static func interleavedImports(_ data: CustomerData, into hosts: [ScriptHost]) throws -> [Timed] {
        var totals = Array(repeating: UInt64(0), count: hosts.count)
        for (n, chunk) in data.chunks(of: 2_000).enumerated() {
            let rows = data.rows(chunk)
            for k in hosts.indices {
                let i = (n + k) % hosts.count
                totals[i] += try importRows(rows, into: hosts[i])
            }
        }
        return totals.map { ns in
            let seconds = Double(ns) / 1e9
            return Timed(seconds: seconds, rowsPerSecond: Double(data.count) / seconds, host: nil)
        }
    }

    /// Times `count` single creates, each its own transaction with hooks.
    static func singleCreates(_ host: ScriptHost, count: Int, seed: UInt64) throws -> Latency {
        let data = CustomerData(count: count, seed: seed)
        var samples: [Double] = []
        samples.reserveCapacity(count)
        for i in 0..<count {
            var values = data.row(i)
            values["phone"] = .text("177" + String(format: "%08d", i))
            // A name no imported row has (the duplicate rules of the stock pack are active).
            if case .text(let name) = values["name"]! { values["name"] = .text("新" + name) }
                let start = DispatchTime.now().uptimeNanoseconds
            _ = try host.workspace.store.create("customer", values)
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return Latency(samples)
    }
}

/// Percentiles of a set of timings in milliseconds.
struct Latency: Codable {
    var p50: Double
    var p99: Double
    var count: Int

    init(_ samples: [Double]) {
        let sorted = samples.sorted()
        count = sorted.count
        p50 = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
        p99 = sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
    }
}
