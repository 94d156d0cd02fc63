@testable import CRMOrders
import Foundation
import Testing

/// The one pricing function: rounding rules, order discount, allocation to the fen.
struct OrderMathTests {
    @Test func perLineRoundingRoundsEachLineAndSpreadsTheOrderDiscountExactly() {
        let lines = [LineInput(quantity: 3, salesPriceFen: 333, discountPercent: 10, taxRatePercent: 13, unitCostFen: 100),
                     LineInput(quantity: 1, salesPriceFen: 1001, taxRatePercent: 6)]
        let f = OrderMath.compute(lines, orderDiscountPercent: 5, rule: .line)
        #expect(f.lines.map(\.amountFen) == [899, 1001])        // 3 × 3.33 × 0.9 = 8.991 → 8.99
        #expect(f.subtotalFen == 1900)
        #expect(f.totalFen == 1805)                             // 19.00 × 0.95
        #expect(f.lines.map(\.netFen).reduce(0, +) == f.totalFen)
        #expect(f.lines.map(\.taxFen).reduce(0, +) == f.taxFen)
        #expect(f.lines.map(\.marginFen).reduce(0, +) == f.marginFen)
        #expect(f.marginFen == f.totalFen - f.taxFen - f.costFen)
        #expect(f.costFen == 300)
    }

    @Test func totalRoundingRoundsOnceAndCanDifferFromPerLineByAFen() {
        let lines = Array(repeating: LineInput(quantity: 1, salesPriceFen: 1, discountPercent: 50), count: 3)  // 0.5 fen each
        #expect(OrderMath.compute(lines, rule: .line).totalFen == 3)    // each 0.5 → 1
        #expect(OrderMath.compute(lines, rule: .total).totalFen == 2)   // 1.5 → 2
        let f = OrderMath.compute(lines, rule: .total)
        #expect(f.lines.map(\.netFen).reduce(0, +) == 2)
    }

    @Test func allocationAddsUpAndGivesRemaindersToLargestFractions() {
        #expect(OrderMath.allocate(100, weights: [1, 1, 1]) == [34, 33, 33])
        #expect(OrderMath.allocate(10, weights: [0, 0]) == [10, 0])
        #expect(OrderMath.allocate(-7, weights: [1, 1]).reduce(0, +) == -7)
    }

    @Test func effectiveDiscountAndMarginPercentAgainstTheListPrice() {
        let f = OrderMath.compute([LineInput(quantity: 2, listPriceFen: 10_000, salesPriceFen: 10_000, discountPercent: 25, unitCostFen: 5_000)], rule: .line)
        #expect(f.discountPercent == 25)
        #expect(f.marginFen == 5_000)
        #expect(f.marginPercent == Decimal(string: "33.33"))
    }
}
