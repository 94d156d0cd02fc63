import CRMKernel
import CRMScripting
import CRMServer
import CRMWeb
import Foundation

/// The web interface under load at full scale: `crm serve`'s server with its pages in this
/// process, 16 keep-alive connections from the built-in client, signed in as an admin (the
/// session cookie): the customer list page and a customer's detail page with its timeline,
/// rendered on the server; and the weight of each page.
enum WebBench {
    struct Results: Codable {
        var listPage: HTTPLoad.Result
        var detailPage: HTTPLoad.Result
        /// The largest list and detail page seen, in bytes (scripts not included).
        var listPageBytes: Int
        var detailPageBytes: Int
    }

    static func measure(_ host: ScriptHost, scale: Int, requests: Int, connections: Int = 16) throws -> Results {
        let bench = try BenchServer(host, label: "web", contributors: [WebInterface()])
        defer { bench.stop() }
        let (port, token) = (bench.port, bench.token)
        let cities = ["深圳", "广州", "上海", "北京"].map { $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
        let listPath: @Sendable (Int) -> String = { i in "/e/customer?f.city=\(cities[i % cities.count])&sort=-id" }
        let detailPath: @Sendable (Int) -> String = { i in "/e/customer/\(1 + (i &* 104_729) % scale)" }
        let probe = try HTTPConnection(port: port)
        var listBytes = 0, detailBytes = 0
        for i in 0..<4 {
            let (listStatus, list) = try probe.send("GET", listPath(i), token: token)
            let (detailStatus, detail) = try probe.send("GET", detailPath(i), token: token)
            guard listStatus == 200, detailStatus == 200 else {
                throw HTTPConnection.Failure(description: "web pages answered \(listStatus) / \(detailStatus), not 200")
            }
            listBytes = max(listBytes, list.count)
            detailBytes = max(detailBytes, detail.count)
        }
        _ = try HTTPLoad.run(port: port, token: token, connections: connections, requests: connections * 5) { i in ("GET", detailPath(i), nil) }
        let list = try HTTPLoad.run(port: port, token: token, connections: connections, requests: requests) { i in ("GET", listPath(i), nil) }
        let detail = try HTTPLoad.run(port: port, token: token, connections: connections, requests: requests) { i in ("GET", detailPath(i), nil) }
        return Results(listPage: list, detailPage: detail, listPageBytes: listBytes, detailPageBytes: detailBytes)
    }
}
