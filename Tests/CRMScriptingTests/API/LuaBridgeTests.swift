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
}
