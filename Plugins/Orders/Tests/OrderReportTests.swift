import CRMKernel
@testable import CRMOrders
import Foundation
import Testing

/// Reports agree with the documents to the fen and hide margins from a 销售专员.
struct OrderReportTests {
    typealias F = OrderFixture

    func approvedOrders(_ f: F) throws -> [Record] {
        try (0..<3).map { i in
            let o = try f.draft([F.line(quantity: Decimal(i + 1), price: 1000, discount: 10, cost: 500)], discount: Decimal(i))
            return try f.write(as: f.rep) { tx in
                _ = try OrderWorkflow.submit(tx, o.id)
                return try OrderWorkflow.approved(tx, o.id)
            }
        }
    }

    @Test func ordersByMonthAddUpToTheOrdersAndRepsSeeNoMargin() throws {
        let f = try F()
        let orders = try approvedOrders(f)
        _ = try f.draft()  // a draft does not count
        let rows = try f.store.read(as: try f.access(f.manager)) { try OrderReports.orders($0, by: .month) }
        #expect(rows.count == 1 && rows[0].count == 3)
        #expect(rows[0].totalFen == orders.map { $0["total"].fen }.reduce(0, +))
        #expect(rows[0].marginFen == orders.map { $0["margin"].fen }.reduce(0, +))
        let repRows = try f.store.read(as: try f.access(f.rep)) { try OrderReports.orders($0, by: .rep) }
        #expect(repRows.count == 1 && repRows[0].marginFen == nil && repRows[0].key == .integer(f.rep.id!))
    }

    @Test func salesByRepAddsUpToTheOrderTotalsAndHidesMarginFromTheRep() throws {
        let f = try F()
        let orders = try approvedOrders(f)
        let day = try #require(orders[0]["signed_date"].textValue)
        let rows = try f.store.read(as: try f.access(f.manager)) { try SalesByProduct.run($0, by: .rep, from: day, to: day) }
        #expect(rows.count == 1 && rows[0].amountFen == orders.map { $0["total"].fen }.reduce(0, +))
        #expect(rows[0].marginFen == orders.map { $0["margin"].fen }.reduce(0, +) && rows[0].quantity == 6)
        let repRows = try f.store.read(as: try f.access(f.rep)) { try SalesByProduct.run($0, by: .rep, from: day, to: day) }
        #expect(repRows[0].marginFen == nil)
        #expect(kernelError { _ = try f.store.read { try SalesByProduct.run($0, by: .rep, from: "2026-13-01", to: day) } }?.fieldErrors.first?.field == "from")
    }

    @Test func waitingForApprovalAndContractsEndingSoonWithAReminderSentOnce() throws {
        let f = try F()
        let o = try f.draft()
        _ = try f.write(as: f.rep) { try OrderWorkflow.submit($0, o.id) }
        #expect(try f.store.read { try OrderReports.waitingForApproval($0) }.map(\.id) == [o.id])
        let soon = try f.draft()
        let today = try f.store.read { try ContractReminders.today($0, Date()) }
        let end = DateCoding.dayText(DateCoding.day(today)!.addingTimeInterval(10 * 86_400))
        _ = try f.write(as: f.rep) { tx in
            _ = try tx.update("order", soon.id, ["end_date": .text(end)])
            _ = try OrderWorkflow.submit(tx, soon.id)
            return try OrderWorkflow.approved(tx, soon.id)
        }
        #expect(try f.store.read { try OrderReports.endingWithin($0, days: 30, today: today) }.map(\.id) == [soon.id])
        #expect(try f.store.read { try OrderReports.endingWithin($0, days: 5, today: today) }.isEmpty)
        #expect(try f.store.write(as: .system) { try ContractReminders.run($0, now: Date()) } == 1)
        #expect(try f.store.write(as: .system) { try ContractReminders.run($0, now: Date()) } == 0)
    }
}
