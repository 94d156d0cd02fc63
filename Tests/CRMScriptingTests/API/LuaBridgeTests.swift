import CRMKernel
import Foundation
import Testing
@testable import CRMScripting

/// What hooks get for kernel values.
struct LuaBridgeTests {
    /// (`DateCodingTests` checks `DateCoding.iso` itself against Foundation.)
    @Test func datetimesReachLuaExactlyAsTheKernelWritesThem() {
        #expect(LuaBridge.lua(.datetime(Date(timeIntervalSince1970: 951_782_400))) == .string("2000-02-29T00:00:00Z"))
        #expect(LuaBridge.lua(.datetime(Date(timeIntervalSince1970: -0.5))) == .string("1969-12-31T23:59:59Z"))
        let now = Date()
        #expect(LuaBridge.lua(.datetime(now)) == .string(now.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false))))
    }
}
