import CRMKernel
import Foundation
import Testing
@testable import CRMScripting

/// What hooks get for kernel values.
struct LuaBridgeTests {
    @Test func datetimesReachLuaExactlyAsTheKernelWritesThem() {
        var random = SystemRandomNumberGenerator()
        var dates: [Date] = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -0.5), Date(timeIntervalSince1970: 0.999_999),
            Date(timeIntervalSince1970: -1), Date(timeIntervalSince1970: 951_782_400), Date(timeIntervalSince1970: 4_107_542_399.9),
            Date(timeIntervalSince1970: -11_676_096_000), Date(timeIntervalSince1970: -11_676_096_001), Date(timeIntervalSince1970: 253_402_300_799), Date(),
        ]
        for _ in 0..<5_000 { dates.append(Date(timeIntervalSince1970: Double.random(in: -2e10...2.5e11, using: &random))) }
        for _ in 0..<5_000 { dates.append(Date(timeIntervalSince1970: Double.random(in: -2e9...5e9, using: &random))) }
        for date in dates {
            #expect(LuaBridge.isoText(date) == DateCoding.iso(date), "\\(date.timeIntervalSince1970)")
        }
        #expect(LuaBridge.lua(.datetime(dates[4])) == .string("2000-02-29T00:00:00Z"))
    }

    @Test func aRecordInTheLastRecordsOrderHasTheSameFieldsAsInTheDictionarys() {
        let values: [String: Value] = ["name": .text("华信"), "phone": .text("138"), "owner": .null, "tags": .list(["a"])]
        var plain: [(String, LuaValue)] = [], ordered: [(String, LuaValue)] = []
        LuaBridge.pairs(values, id: 7, into: &plain)
        let order = ["tags", "id", "phone", "owner", "name"]
        LuaBridge.pairs(values, id: 7, order: order, into: &ordered)
        #expect(ordered.map(\.0) == order, "the given order is used when the names are the same")
        #expect(Dictionary(uniqueKeysWithValues: ordered) == Dictionary(uniqueKeysWithValues: plain))
        for other in [["tags", "phone", "owner", "name"], ["tags", "id", "phone", "owner", "city"], ["tags", "id", "phone", "owner", "name", "city"]] {
            LuaBridge.pairs(values, id: 7, order: other, into: &ordered)
            #expect(ordered.map(\.0) == plain.map(\.0), "other names: the dictionary's order")
            #expect(Dictionary(uniqueKeysWithValues: ordered) == Dictionary(uniqueKeysWithValues: plain))
        }
        LuaBridge.pairs(values, id: nil, order: ["tags", "id", "phone", "owner"], into: &ordered)
        #expect(Set(ordered.map(\.0)) == ["name", "phone", "owner", "tags"], "no id without one")
    }
}
