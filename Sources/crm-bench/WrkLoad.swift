import Foundation

/// Load from `wrk` (Debian's package, installed by `scripts/install-deps`) when it is on the
/// PATH: an epoll client in C costs the two cores far less than a thread per connection, so the
/// figures are the server's. Requests are made by a small Lua script per phase.
enum WrkLoad {
    /// The wrk executable, if installed.
    static var executable: URL? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let url = URL(fileURLWithPath: String(dir)).appendingPathComponent("wrk")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }

    /// Runs wrk for `seconds` with `connections` connections over 2 threads; `script` defines
    /// `request()` (and may use `thread_id`, set per thread, and `counter`). `session` also sends
    /// the token as the web interface's session cookie, as the built-in client does.
    ///
    /// wrk counts only statuses over 399 as failures, so a phase must first check with one
    /// request that its pages answer 200 (a redirect to the sign-in page would pass here).
    static func run(_ wrk: URL, port: Int, token: String, session: Bool = false, connections: Int, seconds: Int, script: String,
                    in dir: URL) throws -> HTTPLoad.Result {
        let file = dir.appendingPathComponent("wrk-\(UUID().uuidString).lua")
        let prelude = """
            local threads_made = 0
            function setup(thread) threads_made = threads_made + 1; thread:set("thread_id", threads_made) end
            function init(args) counter = 0; math.randomseed(thread_id * 7919) end
            wrk.headers["Authorization"] = "Bearer \(token)"
            wrk.headers["Content-Type"] = "application/json"
            \(session ? "wrk.headers[\"Cookie\"] = \"crm_session=\(token)\"" : "")

            """
        try (prelude + script).write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = wrk
        process.arguments = ["-t2", "-c\(connections)", "-d\(seconds)s", "--latency", "-s", file.path, "http://127.0.0.1:\(port)"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        let cpuBefore = processCPUMicroseconds()
        try process.run()
        let probe = LoopLagProbe()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let lag = probe.stop()
        let cpu = processCPUMicroseconds() - cpuBefore
        var result = try parse(text, connections: connections)
        if result.latency.count > 0 { result.serverCPUMicroseconds = cpu / Double(result.latency.count) }
        result.longestLoopLag = lag.longest
        result.loopLagsOver10ms = lag.over10ms
        return result
    }

    /// User and system CPU time of this process so far (every thread; wrk is another process).
    static func processCPUMicroseconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func micro(_ t: timeval) -> Double { Double(t.tv_sec) * 1e6 + Double(t.tv_usec) }
        return micro(usage.ru_utime) + micro(usage.ru_stime)
    }

    /// Reads wrk's report: requests/s, the 50% and 99% latency lines, non-2xx responses.
    static func parse(_ text: String, connections: Int) throws -> HTTPLoad.Result {
        func millis(_ s: Substring) -> Double? {
            let t = s.trimmingCharacters(in: .whitespaces)
            for (unit, factor) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0)] where t.hasSuffix(unit) {
                return Double(t.dropLast(unit.count)).map { $0 * factor }
            }
            return nil
        }
        var rps: Double?, p50 = 0.0, p99 = 0.0, failures = 0, total = 0
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if line.hasPrefix("Requests/sec:"), let v = parts.last { rps = Double(v) }
            if parts.first == "50%", let v = parts.last { p50 = millis(v) ?? 0 }
            if parts.first == "99%", let v = parts.last { p99 = millis(v) ?? 0 }
            if line.contains("Non-2xx or 3xx responses:"), let v = parts.last { failures = Int(v) ?? 0 }
            if line.contains("requests in"), let v = parts.first { total = Int(v) ?? 0 }
        }
        guard let rps else { throw HTTPConnection.Failure(description: "wrk failed: \(text.prefix(500))") }
        var latency = Latency([])
        latency.p50 = p50
        latency.p99 = p99
        latency.count = total
        return HTTPLoad.Result(requestsPerSecond: rps, latency: latency, failures: failures, connections: connections)
    }
}
