import Foundation
import Testing
@testable import CRMKernel

/// The integer fast paths for decimals give exactly what Foundation's decimal arithmetic and
/// `NSDecimalString` gave: plain text, fen of an amount, and the stored scaled integer.
@Suite struct DecimalTextTests {
    /// Decimals of every shape: written as text, made from parts, and results of arithmetic,
    /// with zero, negatives, halves, long fractions, large and NaN values.
    static let values: [Decimal] = {
        var out: [Decimal] = []
        for text in ["0", "-0", "1", "-1", "0.5", "-0.5", "0.005", "-0.005", "0.015", "12.345", "-12.345", "12.3449", "61.85", "1237",
                     "123700", "0.0001", "1e5", "1e18", "1e19", "-9223372036854775807", "999999999999999999", "1000000000000000000",
                     "12345678901234567890.12", "0.000000000000000000001", "3.14159265358979323846", "100.00", "-2.50"] {
            out.append(Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))!)
        }
        var random = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let significand = Decimal(UInt64.random(in: 0...UInt64.max >> Int.random(in: 0...63, using: &random), using: &random))
            out.append(Decimal(sign: Bool.random(using: &random) ? .minus : .plus, exponent: Int.random(in: -22...22, using: &random), significand: significand))
        }
        out += [Decimal(1) / 3, Decimal(2) / 3 * 100, Decimal(12_000_000) / 100, Decimal.nan]
        return out
    }()

    @Test func plainTextMatchesFoundation() {
        for d in Self.values {
            var copy = d
            #expect(d.plainString == NSDecimalString(&copy, Locale(identifier: "en_US_POSIX")), "\(d)")
        }
    }

    @Test func fenMatchesDecimalRounding() {
        for d in Self.values {
            var scaled = d * 100, rounded = Decimal()
            NSDecimalRound(&rounded, &scaled, 0, .plain)
            var copy = rounded
            #expect(MoneyText.fen(.decimal(d)) == Int64(NSDecimalString(&copy, Locale(identifier: "en_US_POSIX"))), "\(d)")
        }
    }

    @Test func storedIntegerMatchesDecimalRounding() {
        for d in Self.values where !d.isNaN && abs(d) < 1e15 {
            for scale in [0, 2, 4] {
                var v = d
                if scale > 0 { v *= pow(10, scale) }
                #expect(ValueCodec.scaled(d, scale) == NSDecimalNumber(decimal: v.rounded(scale: 0)).int64Value, "\(d) at scale \(scale)")
            }
        }
    }
}
