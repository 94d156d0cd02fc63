import CRMKernel
import CRMScripting
import CRMServer
import Foundation
import Logging

/// The HTTP API under load at full scale: `crm serve`'s server in this process on 127.0.0.1,
/// 16 keep-alive connections from a small socket client, as an admin token.
enum HTTPBench {
    struct Results: Codable {
        var getByID: HTTPLoad.Result
        var filteredFirstPage: HTTPLoad.Result
        var creates: HTTPLoad.Result
    }

    static func measure(_ host: ScriptHost, scale: Int, requests: Int, connections: Int = 16) throws -> Results {
        var logger = Logger(label: "crm.bench.server")
        logger.logLevel = .error
        let server = APIServer(host: host, configuration: ServerConfiguration(host: "127.0.0.1", port: 0, runJobs: false, deliverWebhooks: false),
                               logger: logger)
        try host.workspace.store.setAutomaticCheckpoints(false)
        defer { try? host.workspace.store.setAutomaticCheckpoints(true) }
        let store = host.workspace.store
        if try store.count("user", filter: .eq("name", .text("bench_admin"))) == 0 {
            try store.create("user", ["name": .text("bench_admin"), "role": .text("admin")])
        }
        let token = try Accounts(store: store).createToken(for: "bench_admin", label: "bench").token
        let ready = DispatchSemaphore(value: 0)
        let portBox = PortBox()
        let task = Task {
            try await server.run { port in
                portBox.set(port)
                ready.signal()
            }
        }
        defer { task.cancel() }
        guard ready.wait(timeout: .now() + 30) == .success else { throw HTTPConnection.Failure(description: "server did not start") }
        let port = portBox.get()

        let cities = ["深圳", "广州", "上海", "北京", "杭州", "苏州", "成都", "武汉"].map { $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
        let grades = ["A", "B", "C", "D"]
        // Warm up the connections and the caches.
        _ = try HTTPLoad.run(port: port, token: token, connections: connections, requests: connections * 20) { i in
            ("GET", "/api/v1/records/customer/\(1 + (i * 7919) % scale)", nil)
        }
        let get = try HTTPLoad.run(port: port, token: token, connections: connections, requests: requests) { i in
            ("GET", "/api/v1/records/customer/\(1 + (i &* 104_729) % scale)", nil)
        }
        let page = try HTTPLoad.run(port: port, token: token, connections: connections, requests: requests) { i in
            ("GET", "/api/v1/records/customer?city=\(cities[i % cities.count])&grade=\(grades[i % grades.count])&sort=-id&limit=20", nil)
        }
        let industries = ["制造业", "零售业", "服务业", "信息技术"]
        let creates = try HTTPLoad.run(port: port, token: token, connections: connections, requests: requests) { i in
            let phone = "199\(String(format: "%08d", i))"
            let body = #"{"name":"压测客户\#(i)号科技有限公司","phone":"\#(phone)","industry":"\#(industries[i % 4])","source":"展会推荐","city":"深圳"}"#
            return ("POST", "/api/v1/records/customer", body)
        }
        return Results(getByID: get, filteredFirstPage: page, creates: creates)
    }
}

/// The bound port, handed from the server task to the bench thread.
final class PortBox: @unchecked Sendable {
    private let lock = NSLock()
    private var port = 0
    func set(_ p: Int) { lock.withLock { port = p } }
    func get() -> Int { lock.withLock { port } }
}
