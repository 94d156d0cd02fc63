import Foundation
import Testing
@testable import CRMKernel

/// `DateCoding.iso` writes what Foundation's ISO-8601 format style writes (UTC, whole seconds).
struct DateCodingTests {
    static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: false)

    @Test func instantsAreWrittenAsTheFormatStyleWritesThem() {
        let fixed: [TimeInterval] = [0, -1, -0.5, 0.999, 86_399, 86_400, 951_782_400 /* 2000-02-29 */, 1_709_164_800 /* 2024-02-29 */,
                                     4_107_542_399 /* 2100-02-28T23:59:59 */, 4_107_542_400, -62_135_596_800 /* 0001-01-01, Julian in Foundation */, -11_676_096_000 /* 1600-01-01 */, -11_676_096_001, 0.999_999,
                                     253_402_300_799 /* 9999-12-31T23:59:59 */, -2_208_988_800 /* 1900-01-01 */, 1_796_083_200.25]
        for t in fixed {
            let date = Date(timeIntervalSince1970: t)
            #expect(DateCoding.iso(date) == date.formatted(Self.style), "at \(t)")
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let date = Date(timeIntervalSince1970: TimeInterval(Int64.random(in: -62_135_596_800..<253_402_300_800, using: &generator)))
            #expect(DateCoding.iso(date) == date.formatted(Self.style))
        }
        for _ in 0..<5_000 {  // fractions, around today
            let date = Date(timeIntervalSince1970: Double.random(in: -2e9...5e9, using: &generator))
            #expect(DateCoding.iso(date) == date.formatted(Self.style))
        }
    }

    @Test func yearsBeyondFourDigitsStillFormat() {
        let far = Date(timeIntervalSince1970: 253_402_300_800)  // 10000-01-01
        #expect(DateCoding.iso(far) == far.formatted(Self.style))
        #expect(DateCoding.parseInstant(DateCoding.iso(Date(timeIntervalSince1970: 1_796_083_200))) == Date(timeIntervalSince1970: 1_796_083_200))
    }
}
