import CRMCustomers
import CRMKernel

/// Deterministic, realistic customers (Chinese company and person names, mobiles, industries,
/// sources, grades, cities, tags), generated once and shared by every phase.
struct CustomerData {
    let rows: [[String: Value]]

    init(count: Int, seed: UInt64) {
        var random = SeededRandom(seed: seed)
        var rows: [[String: Value]] = []
        rows.reserveCapacity(count)
        for i in 0..<count {
            var v = CustomerDemo.customerValues(&random)
            // Distinct names and phones, as real customer lists have.
            if case .text(let name) = v["name"]! { v["name"] = .text(name.replacingOccurrences(of: "有限", with: "\(i % 9973)号有限")) }
            v["phone"] = .text("1" + ["38", "39", "86", "59"][i % 4] + String(format: "%08d", i))
            // Four in five customers have an owner (one of the 20 bench users); the rest sit in the pool.
            v["owner"] = i % 5 == 0 ? .null : .integer(Int64(1 + i % CustomerData.users))
            rows.append(v)
        }
        self.rows = rows
    }

    private init(rows: [[String: Value]]) { self.rows = rows }

    /// The first `n` rows.
    func prefix(_ n: Int) -> CustomerData { CustomerData(rows: Array(rows.prefix(n))) }

    var count: Int { rows.count }

    /// Users created in each bench workspace (ids 1...users).
    static let users = 20
}
