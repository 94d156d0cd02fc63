import CRMKernel
import CRMScripting
import CRMServer
import Foundation

/// The HTTP API under load at full scale: `crm serve`'s server in this process on 127.0.0.1,
/// 16 keep-alive connections from a small socket client, as an admin token.
enum HTTPBench {
    struct Results: Codable {
        /// `wrk`, or the built-in socket client when wrk is not installed.
        var client: String
        var getByID: HTTPLoad.Result
        var filteredFirstPage: HTTPLoad.Result
        var creates: HTTPLoad.Result
        /// `GET /healthz` (Hummingbird and nothing of ours): the server's own ceiling in this run.
        var healthz: HTTPLoad.Result?
        /// Creates again while another process keeps every core busy.
        var createsBusy: HTTPLoad.Result?
        /// `GET /healthz` with the same process keeping every core busy, just before the busy
        /// creates: the floor any request has on these cores then (Hummingbird and nothing of ours).
        var healthzBusy: HTTPLoad.Result?
        /// Where the creates spent their time, from the server's write profile (quiet, then busy).
        var createTail: WriteTail?
        var createTailBusy: WriteTail?

        /// GET by id / healthz, both from this run.
        var getToHealthz: Double { healthz.map { $0.requestsPerSecond > 0 ? getByID.requestsPerSecond / $0.requestsPerSecond : 0 } ?? 0 }
        /// The busy creates' p99 over the busy `/healthz` p99 (nil without both phases).
        var busyCreateToHealthzP99: Double? {
            guard let c = createsBusy, let z = healthzBusy, z.latency.p99 > 0 else { return nil }
            return c.latency.p99 / z.latency.p99
        }
    }

    /// With wrk each phase runs `seconds`; with the built-in client, `requests` requests.
    static func measure(_ host: ScriptHost, scale: Int, requests: Int, seconds: Int, in dir: URL, connections: Int = 16) throws -> Results {
        var configuration = ServerConfiguration()
        configuration.profileWrites = true
        try host.workspace.store.setAutomaticCheckpoints(false)
        defer { try? host.workspace.store.setAutomaticCheckpoints(true) }
        let bench = try BenchServer(host, label: "server", configuration: configuration)
        defer { bench.stop() }
        let (server, port, token) = (bench.server, bench.port, bench.token)

        let cities = ["深圳", "广州", "上海", "北京", "杭州", "苏州", "成都", "武汉"].map { $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
        let grades = ["A", "B", "C", "D"]
        if let wrk = WrkLoad.executable {
            let list = cities.map { "\"\($0)\"" }.joined(separator: ",")
            func run(_ script: String) throws -> HTTPLoad.Result {
                try WrkLoad.run(wrk, port: port, token: token, connections: connections, seconds: seconds, script: script, in: dir)
            }
            _ = try WrkLoad.run(wrk, port: port, token: token, connections: connections, seconds: 1,
                                script: "request = function() return wrk.format(\"GET\", \"/api/v1/records/customer/\" .. math.random(1, \(scale))) end", in: dir)
            let healthzScript = "request = function() return wrk.format(\"GET\", \"/healthz\") end"
            let healthz = try run(healthzScript)
            let get = try run("request = function() return wrk.format(\"GET\", \"/api/v1/records/customer/\" .. math.random(1, \(scale))) end")
            let page = try run("""
                local cities = {\(list)}
                local grades = {"A", "B", "C", "D"}
                request = function()
                  counter = counter + 1
                  return wrk.format("GET", "/api/v1/records/customer?city=" .. cities[counter % 8 + 1] .. "&grade=" .. grades[counter % 4 + 1] .. "&sort=-id&limit=20")
                end
                """)
            let createScript = """
                local industries = {"制造业", "零售业", "服务业", "信息技术"}
                request = function()
                  counter = counter + 1
                  local n = thread_id * 10000000 + counter
                  local body = string.format('{"name":"压测客户%d号科技有限公司","phone":"19%09d","industry":"%s","source":"展会推荐","city":"深圳"}',
                                             n, n, industries[counter % 4 + 1])
                  return wrk.format("POST", "/api/v1/records/customer", nil, body)
                end
                """
            _ = server.writeProfile(reset: true)
            let creates = try run(createScript)
            let quietTail = WriteTail(server.writeProfile(reset: true))
            // With another process spinning on every core (as a compiler would): `/healthz` first,
            // the floor any request has then, and the creates again; phone numbers of the second
            // create phase start elsewhere so 查重 finds no duplicates.
            // Skipped in the smoke test's one-second phases (it needs a run long enough to mean anything).
            var createsBusy: HTTPLoad.Result?, healthzBusy: HTTPLoad.Result?
            var busyTail: WriteTail?
            if seconds >= 3 {
                let busy = try BusyCores(count: ProcessInfo.processInfo.activeProcessorCount)
                defer { busy.stop() }
                healthzBusy = try run(healthzScript)
                _ = server.writeProfile(reset: true)
                createsBusy = try run(createScript.replacingOccurrences(of: "thread_id * 10000000", with: "(thread_id + 4) * 10000000"))
                busyTail = WriteTail(server.writeProfile(reset: true))
            }
            return Results(client: "wrk", getByID: get, filteredFirstPage: page, creates: creates, healthz: healthz,
                           createsBusy: createsBusy, healthzBusy: healthzBusy, createTail: quietTail, createTailBusy: busyTail)
        }
        // Warm up the connections and the caches.
        _ = try HTTPLoad.run(port: port, token: token, connections: connections, requests: connections * 20) { i in
            ("GET", "/api/v1/records/customer/\(1 + (i * 7919) % scale)", nil)
        }
        let healthz = try HTTPLoad.run(port: port, token: token, connections: connections, requests: requests) { _ in ("GET", "/healthz", nil) }
        let get = try HTTPLoad.run(port: port, token: token, connections: connections, requests: requests) { i in
            ("GET", "/api/v1/records/customer/\(1 + (i &* 104_729) % scale)", nil)
        }
        let page = try HTTPLoad.run(port: port, token: token, connections: connections, requests: requests) { i in
            ("GET", "/api/v1/records/customer?city=\(cities[i % cities.count])&grade=\(grades[i % grades.count])&sort=-id&limit=20", nil)
        }
        let industries = ["制造业", "零售业", "服务业", "信息技术"]
        _ = server.writeProfile(reset: true)
        let creates = try HTTPLoad.run(port: port, token: token, connections: connections, requests: requests) { i in
            let phone = "199\(String(format: "%08d", i))"
            let body = #"{"name":"压测客户\#(i)号科技有限公司","phone":"\#(phone)","industry":"\#(industries[i % 4])","source":"展会推荐","city":"深圳"}"#
            return ("POST", "/api/v1/records/customer", body)
        }
        return Results(client: "built-in", getByID: get, filteredFirstPage: page, creates: creates, healthz: healthz,
                       createTail: WriteTail(server.writeProfile(reset: true)))
    }
}
