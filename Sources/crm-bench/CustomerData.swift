import CRMCustomers
import CRMKernel

/// Deterministic, realistic customers (Chinese company and person names, mobiles, industries,
/// sources, grades, cities, tags). Row `i` is always the same row, generated on demand in chunks
/// so a million-row run never holds the whole data set in memory (and generating is never timed).
struct CustomerData {
    /// How many rows.
    let count: Int
    let seed: UInt64

    init(count: Int, seed: UInt64) {
        self.count = count
        self.seed = seed
    }

    /// The first `n` rows.
    func prefix(_ n: Int) -> CustomerData { CustomerData(count: min(n, count), seed: seed) }

    /// Rows `range`, generated now.
    func rows(_ range: Range<Int>) -> [[String: Value]] {
        range.map(row)
    }

    /// Consecutive chunks of at most `size` rows.
    func chunks(of size: Int) -> [Range<Int>] {
        stride(from: 0, to: count, by: size).map { $0..<min($0 + size, count) }
    }

    /// Row `i`.
    func row(_ i: Int) -> [String: Value] {
        var random = SeededRandom(seed: seed &+ UInt64(i) &* 0x9E37_79B9)
        var v = CustomerDemo.customerValues(&random)
        // Distinct names and phones, as real customer lists have (distinct after 查重's name
        // normalization too, which strips 有限公司-style suffixes, so the number is unique per row).
        if case .text(let name) = v["name"]! { v["name"] = .text(name.replacingOccurrences(of: "有限", with: "\(i)号有限")) }
        v["phone"] = .text("1" + ["38", "39", "86", "59"][i % 4] + String(format: "%08d", i))
        // Four in five customers have an owner (one of the 20 bench users); the rest sit in the pool.
        v["owner"] = i % 5 == 0 ? .null : .integer(Int64(1 + i % CustomerData.users))
        return v
    }

    /// Users created in each bench workspace (ids 1...users).
    static let users = 20
}
