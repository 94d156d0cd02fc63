import CRMKernel
import CRMService
import Foundation

/// Service at scale: the SLA state of one ticket with 200 status changes, the SLA report over
/// many solved tickets, routing one ticket, and knowledge-base search over many articles.
enum ServiceBench {
    struct Results: Codable {
        var tickets: Int
        var articles: Int
        var slaState: Latency
        var slaReportSeconds: Double
        var routeOne: Latency
        /// Routing inside the transaction only (route one ticket without BEGIN/COMMIT).
        var routeBody: Latency
        /// An empty `store.write {}` taking turns with the routes: the commit's own tail.
        var emptyWrite: Latency
        var search: Latency
    }

    static func measure(_ dir: URL, tickets: Int, articles: Int, progress: (String) -> Void) throws -> Results {
        let host = try KernelBench.open(dir, scripts: true)
        defer { host.workspace.close() }  // frees its connections and Lua state when the section ends
        let store = host.workspace.store
        var agents: [Int64] = []
        try store.write(as: .system) { tx in
            let team = try tx.create("team", ["name": .text("客服部")]).id
            for (i, skill) in ["安装调试", "故障报修", "账单发票", "使用咨询"].enumerated() {
                agents.append(try tx.create("user", ["name": .text("agent\(i)"), "role": .text("service_agent"), "team": .integer(team),
                                                     "service_skills": .list([skill]), "service_available": .bool(true)]).id)
            }
        }
        progress("service: one ticket with 200 status changes")
        let ticket = try store.create("ticket", ["subject": .text("设备无法开机"), "category": .text("安装调试"), "priority": .text("低"), "owner": .null]).id
        let start = Date().addingTimeInterval(-200 * 3 * 3600)
        let cycle = ["处理中", "待客户回复", "处理中", "待第三方"]
        _ = try store.bulkCreate("ticket_status", (0..<200).map { i in
            ["ticket": .integer(ticket), "status": .text(cycle[i % cycle.count]), "at": .datetime(start.addingTimeInterval(Double(i) * 3 * 3600)), "owner": .null]
        }, options: BulkOptions(batchSize: 200))
        var samples: [Double] = []
        for _ in 0..<200 {
            let t = DispatchTime.now().uptimeNanoseconds
            _ = try store.read { try ServiceOperations.slaState($0, ticket: ticket) }
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6)
        }
        let sla = Latency(samples)

        progress("service: routing one ticket, 200 times (each beside an empty write)")
        samples = []
        var bodies: [Double] = [], bodyCPU: [Double] = [], empties: [Double] = []
        // Routes happen in the server: checkpoints as the server runs them.
        try ServerCheckpoints.around(store) {
            for _ in 0..<200 {
                let t = DispatchTime.now().uptimeNanoseconds
                var body = 0.0, cpu = 0.0
                try store.write(as: .system) { tx in
                    let b = DispatchTime.now().uptimeNanoseconds, c = ThreadClock.nanoseconds()
                    _ = try ServiceOperations.route(tx, ticket: ticket)
                    cpu = Double(ThreadClock.nanoseconds() - c) / 1e6
                    body = Double(DispatchTime.now().uptimeNanoseconds - b) / 1e6
                }
                samples.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6)
                bodies.append(body)
                bodyCPU.append(cpu)
                // The kernel's own cost of a write transaction with nothing in it, in the same loop.
                let e = DispatchTime.now().uptimeNanoseconds
                try store.write(as: .system) { _ in }
                empties.append(Double(DispatchTime.now().uptimeNanoseconds - e) / 1e6)
            }
        }
        let route = Latency(samples)
        // The slowest routes split: the routing inside the transaction (wall, and the thread's CPU
        // time: a wall far above it is time off the core) against all of it (the rest is BEGIN,
        // COMMIT and the after-commit handlers).
        let slowest = samples.indices.sorted { samples[$0] > samples[$1] }.prefix(4)
        progress("service: slowest routes (total / routing wall / routing CPU, ms): "
                 + slowest.map { String(format: "%.3f / %.3f / %.3f", samples[$0], bodies[$0], bodyCPU[$0]) }.joined(separator: ", "))

        progress("service: loading \(tickets) solved tickets")
        let solved = Date().addingTimeInterval(-86_400)
        for chunk in stride(from: 0, to: tickets, by: 10_000) {
            let categories = ["安装调试", "故障报修", "账单发票"]
            let rows: [[String: Value]] = (chunk..<min(chunk + 10_000, tickets)).map { (i: Int) -> [String: Value] in
                let agent: Value = .integer(agents[i % agents.count])
                let at: Date = solved.addingTimeInterval(-Double(i % 300) * 86_400)
                var row: [String: Value] = ["number": .text("B-\(i)"), "subject": .text("工单\(i)"), "category": .text(categories[i % 3])]
                row["status"] = .text("已关闭")
                row["assignee"] = agent
                row["owner"] = agent
                row["solved_at"] = .datetime(at)
                row["sla_breached"] = .bool(i % 7 == 0)
                row["sla_response_seconds"] = .integer(Int64(600 + i % 3600))
                row["sla_resolution_seconds"] = .integer(Int64(7200 + i % 36_000))
                return row
            }
            let r = try store.bulkCreate("ticket", rows, options: BulkOptions(batchSize: 2000))
            guard r.created == rows.count else { throw KernelError(.validation, "bench tickets refused: \(r.failures.first?.error.description ?? "")") }
        }
        progress("service: SLA report by agent over \(try store.count("ticket")) tickets")
        var t0 = DispatchTime.now().uptimeNanoseconds
        _ = try store.read { try ServiceOperations.slaReport($0, by: "agent") }
        let reportSeconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9

        progress("service: loading \(articles) published articles")
        let words = ["开机", "噪音", "发票", "报警", "排水", "升级", "安装", "配件", "定时", "售后"]
        for chunk in stride(from: 0, to: articles, by: 10_000) {
            let rows: [[String: Value]] = (chunk..<min(chunk + 10_000, articles)).map { i in
                ["title": .text("\(words[i % words.count])问题处理方法\(i)"), "body": .text("检查\(words[(i / 10) % words.count])相关设置，编号\(i)。"),
                 "status": .text("已发布"), "owner": .null]
            }
            _ = try store.bulkCreate("kb_article", rows, options: BulkOptions(batchSize: 2000))
        }
        samples = []
        for i in 0..<50 {
            t0 = DispatchTime.now().uptimeNanoseconds
            _ = try store.read { try ServiceOperations.searchArticles($0, words[i % words.count] + "问题") }
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
        }
        return Results(tickets: tickets, articles: articles, slaState: sla, slaReportSeconds: reportSeconds, routeOne: route, routeBody: Latency(bodies), emptyWrite: Latency(empties), search: Latency(samples))
    }
}
