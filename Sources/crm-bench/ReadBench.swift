import CRMCustomers
import CRMKernel
import CRMScripting
import Foundation

/// Reads at full scale: get by id, a filtered and sorted first page, Chinese full-text search,
/// and a group-by report.
enum ReadBench {
    struct Results: Codable {
        var getByID: Latency
        var filteredFirstPage: Latency
        var search2Chars: Latency
        var search4Chars: Latency
        var groupBy: Latency
        var tagFilteredFirstPage: Latency
        /// `CustomerDuplicates.find` for a stored customer's fields (name and phone each match once).
        var findDuplicates: Latency
        var search2Matches: Int
        var search4Matches: Int
        /// A stored customer's phone number (one match: every shard of the index is read).
        var searchRare: Latency?
        /// 2 characters, newest first (the shards read from the newest).
        var search2CharsNewest: Latency?
    }

    static func measure(_ host: ScriptHost, iterations: Int, scale: Int) throws -> Results {
        let store = host.workspace.store
        var random = SeededRandom(seed: 3)
        func time(_ body: () throws -> Void) rethrows -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        }
        let maxID = Int64(scale)
        var get: [Double] = [], page: [Double] = [], s2: [Double] = [], s4: [Double] = [], group: [Double] = [], tagged: [Double] = [], dups: [Double] = []
        var rare: [Double] = [], newest: [Double] = []
        let tags = ["重点客户", "华南区", "老客户", "高意向", "待回访"]
        let cities = ["深圳", "广州", "上海", "北京", "杭州", "苏州", "成都", "武汉"]
        let grades = ["A", "B", "C", "D"]
        let cores = ["华信", "中科", "恒远", "鼎盛", "天成", "瑞丰", "博雅", "金石"]
        var matches2 = 0, matches4 = 0
        for i in 0..<iterations {
            let id = Int64.random(in: 1...maxID, using: &random)
            get.append(try time { _ = try store.get("customer", id) })
            if let values = try store.get("customer", id)?.values {
                dups.append(try time { _ = try store.read { try CustomerDuplicates.find($0, values) } })
                if case .text(let phone) = values["phone"] ?? .null {
                    rare.append(try time { _ = try store.find(Query("customer", search: phone, limit: 20)) })
                }
            }
            let filter = Filter.all([.eq("city", .text(cities[i % cities.count])), .eq("grade", .text(grades[i % grades.count]))])
            page.append(try time { _ = try store.find(Query("customer", filter: filter, sort: [SortKey("id", descending: true)], limit: 20)) })
            let core = cores[i % cores.count]
            s2.append(try time { matches2 = try store.find(Query("customer", search: core, limit: 20)).records.count })
            newest.append(try time { _ = try store.find(Query("customer", search: core, sort: [SortKey("id", descending: true)], limit: 20)) })
            s4.append(try time { matches4 = try store.find(Query("customer", search: cities[i % cities.count] + core, limit: 20)).records.count })
            let tagFilter = Filter.all([.condition(field: "tags", op: .contains, value: .text(tags[i % tags.count])),
                                        .condition(field: "tags", op: .contains, value: .text(tags[(i + 1) % tags.count]))])
            tagged.append(try time { _ = try store.find(Query("customer", filter: tagFilter, sort: [SortKey("id", descending: true)], limit: 20)) })
            if i < max(5, iterations / 20) {
                group.append(try time { _ = try store.aggregate("customer", groupBy: [GroupKey("industry")], measures: [.count]) })
            }
        }
        return Results(getByID: Latency(get), filteredFirstPage: Latency(page), search2Chars: Latency(s2),
                       search4Chars: Latency(s4), groupBy: Latency(group), tagFilteredFirstPage: Latency(tagged),
                       findDuplicates: Latency(dups), search2Matches: matches2, search4Matches: matches4,
                       searchRare: Latency(rare), search2CharsNewest: Latency(newest))
    }
}
