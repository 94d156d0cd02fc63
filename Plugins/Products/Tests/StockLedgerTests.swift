import CRMKernel
import CRMProducts
import Foundation
import Testing

/// The stock ledger: levels derived from appended moves, reservations, takes, adjustments, and
/// the refusals (immutable moves, negative stock, bad quantities) that write nothing.
struct StockLedgerTests {
    @Test func levelsAreSumsOfTheMovesPerWarehouseAndOverall() throws {
        let f = try ProductsFixture()
        let (sz, sh) = (f.warehouses[0], f.warehouses[1])
        try f.write { tx in
            try StockLedger.receive(tx, product: f.printer, warehouse: sz, quantity: 10)
            try StockLedger.receive(tx, product: f.printer, warehouse: sh, quantity: 4)
            try StockLedger.reserve(tx, product: f.printer, warehouse: sz, quantity: 3, document: ("order", 1))
        }
        #expect(try f.level(f.printer, sz) == StockLevel(onHand: 10, reserved: 3))
        #expect(try f.level(f.printer, sz).available == 7)
        #expect(try f.level(f.printer, sh) == StockLevel(onHand: 4, reserved: 0))
        #expect(try f.level(f.printer) == StockLevel(onHand: 14, reserved: 3))
        #expect(try f.level(f.paper) == StockLevel(onHand: 0, reserved: 0))
    }

    @Test func takingReleasesTheDocumentsReservationFirst() throws {
        let f = try ProductsFixture()
        let sz = f.warehouses[0]
        try f.write { tx in
            try StockLedger.receive(tx, product: f.printer, warehouse: sz, quantity: 10)
            try StockLedger.reserve(tx, product: f.printer, warehouse: sz, quantity: 6, document: ("order", 7))
            try StockLedger.reserve(tx, product: f.printer, warehouse: sz, quantity: 2, document: ("order", 8))
            // Order 7 holds 6 of the 10; taking its 6 must not be refused for want of availability.
            try StockLedger.take(tx, product: f.printer, warehouse: sz, quantity: 6, document: ("order", 7))
        }
        #expect(try f.level(f.printer, sz) == StockLevel(onHand: 4, reserved: 2))
        let released = try f.write { tx in try StockLedger.release(tx, product: f.printer, warehouse: sz, document: ("order", 8)) }
        #expect(released?["quantity"] == .decimal(-2))
        #expect(try f.level(f.printer, sz) == StockLevel(onHand: 4, reserved: 0))
        // Nothing left to release: no move.
        #expect(try f.write { tx in try StockLedger.release(tx, product: f.printer, warehouse: sz, document: ("order", 8)) } == nil)
        let moves = try f.store.read { try $0.find(Query("stock_move", filter: .eq("document_id", .integer(7)), sort: [SortKey("id")])).records }
        #expect(moves.map { $0["reason"].textValue ?? "" } == ["预留", "释放", "出库"])
    }

    @Test func aMoveBelowZeroAvailableIsRefusedAndNothingWritten() throws {
        let f = try ProductsFixture()
        let sz = f.warehouses[0]
        try f.write { tx in _ = try StockLedger.receive(tx, product: f.printer, warehouse: sz, quantity: 5) }
        let before = try f.moveCount()
        let take = kernelError { _ = try f.write { tx in try StockLedger.take(tx, product: f.printer, warehouse: sz, quantity: 6, document: ("order", 1)) } }
        #expect(take?.kind == .validation)
        #expect(take?.fieldErrors.first?.field == "quantity")
        #expect(take?.fieldErrors.first?.message.contains("可用库存不足") == true)
        let reserve = kernelError { _ = try f.write { tx in try StockLedger.reserve(tx, product: f.printer, warehouse: sz, quantity: 5.5, document: ("order", 1)) } }
        #expect(reserve?.fieldErrors.map(\.field).contains("quantity") == true)
        #expect(try f.moveCount() == before)
        #expect(try f.level(f.printer, sz) == StockLevel(onHand: 5, reserved: 0))
    }

    @Test func theCompanyMayAllowNegativeStock() throws {
        let f = try ProductsFixture()
        #expect(try f.console().evaluate("crm.products.stock_policy{ allow_negative = true, take_on = \"delivery\" }").error == nil)
        #expect(StockPolicy.current(f.store.schema) == StockPolicy(reserveOn: .submit, takeOn: .delivery, allowNegative: true))
        try f.write { tx in _ = try StockLedger.take(tx, product: f.printer, warehouse: f.warehouses[0], quantity: 3, document: ("order", 1)) }
        #expect(try f.level(f.printer).available == -3)
    }

    @Test func aBadStockPolicyIsRefusedNamingTheKey() throws {
        let f = try ProductsFixture()
        let result = try f.console().evaluate("crm.products.stock_policy{ reserve_on = \"later\" }")
        #expect(result.error?.contains("reserve_on") == true)
        #expect(StockPolicy.current(f.store.schema) == .standard)
    }

    @Test func movesCannotBeChangedOrDeleted() throws {
        let f = try ProductsFixture()
        let move = try f.write { tx in try StockLedger.receive(tx, product: f.printer, warehouse: f.warehouses[0], quantity: 5) }
        let update = kernelError { _ = try f.write { tx in try tx.update("stock_move", move.id, ["quantity": .decimal(50)]) } }
        #expect(update?.fieldErrors.first?.message.contains("只能追加") == true)
        let delete = kernelError { try f.write { tx in try tx.delete("stock_move", move.id) } }
        #expect(delete?.kind == .validation)
        #expect(try f.level(f.printer) == StockLevel(onHand: 5, reserved: 0))
    }

    @Test func badQuantitiesAreRefusedNamingTheField() throws {
        let f = try ProductsFixture()
        let sz = f.warehouses[0]
        let negative = kernelError { _ = try f.write { tx in try StockLedger.receive(tx, product: f.printer, warehouse: sz, quantity: -1) } }
        #expect(negative?.fieldErrors.first?.field == "quantity")
        let wrongSign = kernelError { _ = try f.write { tx in
            try tx.create("stock_move", ["product": .integer(f.printer), "warehouse": .integer(sz), "quantity": .decimal(-2), "reason": .text("入库")])
        } }
        #expect(wrongSign?.fieldErrors.first?.message.contains("必须为正数") == true)
        let fraction = kernelError { _ = try f.write { tx in try StockLedger.receive(tx, product: f.printer, warehouse: sz, quantity: 1.5) } }
        #expect(fraction?.fieldErrors.first?.message.contains("不允许小数") == true)
        let service = kernelError { _ = try f.write { tx in try StockLedger.receive(tx, product: f.service, warehouse: sz, quantity: 1) } }
        #expect(service?.fieldErrors.first?.field == "product")
        let noReason = kernelError { _ = try f.write { tx in try StockLedger.adjust(tx, product: f.printer, warehouse: sz, delta: 2, reason: "") } }
        #expect(noReason?.fieldErrors.first?.field == "note")
        #expect(try f.moveCount() == 0)
        // A product allowing decimals takes 12.5 metres.
        try f.write { tx in _ = try StockLedger.receive(tx, product: f.cable, warehouse: sz, quantity: 12.5) }
        #expect(try f.level(f.cable).onHand == 12.5)
    }

    @Test func anAdjustmentWithAReasonCorrectsTheCount() throws {
        let f = try ProductsFixture()
        let sz = f.warehouses[0]
        try f.write { tx in
            try StockLedger.receive(tx, product: f.paper, warehouse: sz, quantity: 20)
            try StockLedger.adjust(tx, product: f.paper, warehouse: sz, delta: -3, reason: "盘点盘亏")
        }
        #expect(try f.level(f.paper, sz).onHand == 17)
        let below = kernelError { _ = try f.write { tx in try StockLedger.adjust(tx, product: f.paper, warehouse: sz, delta: -18, reason: "盘亏") } }
        #expect(below?.fieldErrors.first?.field == "quantity")
    }
}
