import CRMFinance
import CRMKernel
import CRMOrders
import Foundation

/// Finance at scale: approved one-line orders of 20 reps, each with 20 installments, up to
/// `installments` installments (through the module's hooks in bulk), about a third of them
/// partly or fully received; then the company's aging report as of a day, one rep's, and one
/// order's collection figures.
enum FinanceBench {
    struct Results: Codable {
        var installments: Int
        var loadInstallmentsPerSecond: Double
        var agingCompany: Latency
        var agingOneRep: Latency
        var orderFigures: Latency
    }

    static let perOrder = 20

    static func measure(_ dir: URL, installments: Int, iterations: Int, progress: (String) -> Void) throws -> Results {
        let host = try KernelBench.open(dir, scripts: true)
        defer { host.workspace.close() }  // frees its connections and Lua state when the section ends
        let store = host.workspace.store
        progress("finance: \(installments) installments")
        let reps = try store.write(as: .system) { tx in
            try (0..<20).map { i in try tx.create("user", ["name": .text("finance_rep\(i)"), "role": .text("sales_rep")]).id }
        }
        let customers = CustomerData(count: 200, seed: 33)
        _ = try store.bulkCreate("customer", customers.rows(0..<customers.count), options: BulkOptions(batchSize: 200))
        let customerIDs = try store.read { try $0.find(Query("customer", limit: 200)).records.map(\.id) }
        let orders = (installments + perOrder - 1) / perOrder
        let today = try store.read { try OrderActions.today($0) }
        let start = DispatchTime.now().uptimeNanoseconds
        var orderIDs: [Int64] = []
        while orderIDs.count < orders {
            try store.write(as: .system) { tx in
                for _ in 0..<100 where orderIDs.count < orders {
                    let i = orderIDs.count
                    let line: [String: Value] = ["description": .text("服务"), "quantity": .decimal(1), "sales_price": .decimal(Decimal(perOrder * 1000)), "tax_rate": .decimal(0)]
                    let o = try OrderService.save(tx, entity: "order", id: nil, header: ["customer": .integer(customerIDs[i % customerIDs.count]),
                                                                                       "owner": .integer(reps[i % reps.count])], lines: [line])
                    _ = try OrderActions.submit(tx, o.id)
                    _ = try OrderActions.approve(tx, o.id)
                    orderIDs.append(o.id)
                }
            }
        }
        var rows: [[String: Value]] = []
        rows.reserveCapacity(installments)
        for k in 0..<installments {
            let order = orderIDs[k / perOrder], seq = k % perOrder
            let due = String((Calendar.dateString(today, offset: seq * 30 - 300)))
            var row: [String: Value] = ["order": .integer(order), "seq": .integer(Int64(seq + 1)), "due_date": .text(due), "amount": .decimal(1000)]
            switch k % 3 {
            case 0: row["received"] = .decimal(1000); row["paid_on"] = .text(due)
            case 1: row["received"] = .decimal(400)
            default: break
            }
            rows.append(row)
        }
        let made = try store.bulkCreate("payment_plan", rows, options: BulkOptions(batchSize: 5000))
        guard made.created == installments else { throw KernelError(.validation, "bench installments refused: \(made.failures.first?.error.description ?? "")") }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9

        progress("finance: timing aging (company, one rep) and one order's collection figures")
        var company: [Double] = [], rep: [Double] = [], figures: [Double] = []
        for i in 0..<iterations {
            company.append(try OrderBench.time { _ = try store.read { try AgingReport.build($0, asOf: today, by: "customer") } })
            rep.append(try OrderBench.time { _ = try store.read { try AgingReport.build($0, asOf: today, by: "rep", owner: reps[i % reps.count]) } })
            figures.append(try OrderBench.time { _ = try store.read { try CollectionFigures.order($0, orderIDs[(i * 7919) % orderIDs.count]) } })
        }
        return Results(installments: installments, loadInstallmentsPerSecond: Double(installments) / seconds,
                       agingCompany: Latency(company), agingOneRep: Latency(rep), orderFigures: Latency(figures))
    }
}

extension Calendar {
    /// `day` (`YYYY-MM-DD`) moved by `offset` days, in UTC.
    static func dateString(_ day: String, offset: Int) -> String {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC") ?? .current
        let f = DateFormatter()
        f.calendar = c
        f.timeZone = c.timeZone
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd"
        guard let date = f.date(from: day), let moved = c.date(byAdding: .day, value: offset, to: date) else { return day }
        return f.string(from: moved)
    }
}
