import CRMKernel
import CRMScripting
import CRMServer
import CRMWeb
import Foundation

/// The web interface under load at full scale: `crm serve`'s server with its pages in this
/// process, 16 keep-alive connections signed in as an administrator (an API token sent as the
/// session cookie): the customer list page, a customer's detail page with its timeline and the
/// deal board (kanban) with 200 cards, rendered on the server; and the weight of each page. The
/// load comes from wrk when it is installed, as in the API phases; before 2026-12-03 it always
/// came from the built-in client, whose 16 threads competed with the server for the two cores.
enum WebBench {
    struct Results: Codable {
        var listPage: HTTPLoad.Result
        var detailPage: HTTPLoad.Result
        /// `/opportunities/kanban` over `kanbanCards` open and closed deals.
        var kanbanPage: HTTPLoad.Result?
        var kanbanCards: Int?
        var kanbanPageBytes: Int?
        /// The largest list and detail page seen, in bytes (scripts not included).
        var listPageBytes: Int
        var detailPageBytes: Int
    }

    /// Deals on the board the benchmark renders (the issue's "kanban with 200 cards").
    static let kanbanCards = 200

    /// With wrk each page is loaded for `seconds` (the kanban half as long); with the built-in
    /// client, `requests` times (the kanban a quarter as often).
    static func measure(_ host: ScriptHost, scale: Int, requests: Int, seconds: Int, in dir: URL, connections: Int = 16) throws -> Results {
        let cards = try seedDeals(host.workspace.store)
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
        var boardBytes: Int?
        if cards != nil {
            let (kanbanStatus, board) = try probe.send("GET", "/opportunities/kanban", token: token)
            guard kanbanStatus == 200 else { throw HTTPConnection.Failure(description: "the kanban answered \(kanbanStatus), not 200") }
            boardBytes = board.count
        }
        let list: HTTPLoad.Result, detail: HTTPLoad.Result, kanban: HTTPLoad.Result?
        if let wrk = WrkLoad.executable {
            // The same pages as the built-in client's, requested by wrk's Lua: cities in turn, customers at random.
            let cityList = cities.map { "\"\($0)\"" }.joined(separator: ",")
            func run(_ seconds: Int, _ path: String) throws -> HTTPLoad.Result {
                let script = """
                    local cities = {\(cityList)}
                    request = function()
                      counter = counter + 1
                      return wrk.format("GET", \(path))
                    end
                    """
                return try WrkLoad.run(wrk, port: port, token: token, session: true, connections: connections, seconds: seconds, script: script, in: dir)
            }
            let listPage = "\"/e/customer?f.city=\" .. cities[counter % \(cities.count) + 1] .. \"&sort=-id\""
            let detailPage = "\"/e/customer/\" .. math.random(1, \(scale))"
            _ = try run(1, detailPage)
            list = try run(seconds, listPage)
            detail = try run(seconds, detailPage)
            kanban = try cards.map { _ in try run(max(1, seconds / 2), "\"/opportunities/kanban\"") }
        } else {
            _ = try HTTPLoad.run(port: port, token: token, connections: connections, requests: connections * 5) { i in ("GET", detailPath(i), nil) }
            list = try HTTPLoad.run(port: port, token: token, connections: connections, requests: requests) { i in ("GET", listPath(i), nil) }
            detail = try HTTPLoad.run(port: port, token: token, connections: connections, requests: requests) { i in ("GET", detailPath(i), nil) }
            kanban = try cards.map { _ in
                try HTTPLoad.run(port: port, token: token, connections: connections, requests: max(connections, requests / 4)) { _ in ("GET", "/opportunities/kanban", nil) }
            }
        }
        return Results(listPage: list, detailPage: detail, kanbanPage: kanban, kanbanCards: cards, kanbanPageBytes: boardBytes,
                       listPageBytes: listBytes, detailPageBytes: detailBytes)
    }

    /// Puts `kanbanCards` deals (across the stages, for existing customers) into the workspace
    /// unless it holds that many already; returns how many the board has to show.
    static func seedDeals(_ store: RecordStore) throws -> Int? {
        guard store.schema.entities["opportunity"] != nil else { return nil }
        let have = try store.count("opportunity")
        guard have < kanbanCards else { return have }
        let owner = try store.read { try $0.find(Query("user", limit: 1)).records.first?.id } ?? 1
        let customers = try store.read { try $0.find(Query("customer", limit: kanbanCards)).records.map(\.id) }
        guard !customers.isEmpty else { return have }
        let rows = (have..<kanbanCards).map { OpportunityBench.row($0, users: [owner], customers: customers, now: Date()) }
        let result = try store.bulkCreate("opportunity", rows, options: BulkOptions(batchSize: 200))
        guard result.created == rows.count else { throw KernelError(.validation, "bench deals refused: \(result.failures.first?.error.description ?? "")") }
        return kanbanCards
    }
}
