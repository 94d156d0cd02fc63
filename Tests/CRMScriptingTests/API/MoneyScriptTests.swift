import CRMKernel
@testable import CRMScripting
import Foundation
import Testing

/// Money crosses into Lua as integers or exact decimal strings, never as a binary float, and
/// `crm.money.fen` / `crm.money.yuan` give scripts integer arithmetic in fen.
struct MoneyScriptTests {
    static let pack = """
        crm.entity("deal_note", { label = "成交备注", fields = {
          { name = "title", type = "text", label = "标题", required = true },
          { name = "amount", type = "money", label = "金额" },
          { name = "rate", type = "decimal", label = "比例", scale = 4 },
        } })
        """

    @Test func moneyFieldsReachLuaAsIntegersOrExactDecimalStrings() throws {
        let f = try ScriptFixture(["50_note.lua": Self.pack])
        defer { f.cleanUp() }
        let (console, _) = try f.console()
        let checks = [
            ("math.type(crm.create('deal_note', {title = 'a', amount = 1200}).amount)", "integer"),
            ("crm.create('deal_note', {title = 'b', amount = '0.10'}).amount", "0.1"),
            ("type(crm.create('deal_note', {title = 'c', amount = '12345678901.23'}).amount)", "string"),
            ("crm.create('deal_note', {title = 'd', amount = '12345678901.23'}).amount", "12345678901.23"),
            ("crm.create('deal_note', {title = 'e', rate = '0.0625'}).rate", "0.0625"),
        ]
        for (line, expected) in checks {
            let r = console.evaluate(line)
            #expect(r.error == nil, "\(line): \(r.error ?? "")")
            #expect(r.output.contains(expected), "\(line) gave \(r.output)")
        }
    }

    @Test func fenAndYuanConvertExactly() throws {
        let f = try ScriptFixture()
        defer { f.cleanUp() }
        let (console, _) = try f.console()
        let checks = [
            ("crm.money.fen('12.34')", "1234"), ("crm.money.fen('-0.05')", "-5"), ("crm.money.fen(7)", "700"),
            ("crm.money.fen('0.1') + crm.money.fen('0.2') == crm.money.fen('0.3')", "true"),
            ("crm.money.yuan(1234)", "12.34"), ("crm.money.yuan(-5)", "-0.05"), ("crm.money.yuan(100)", "1.00"),
        ]
        for (line, expected) in checks {
            let r = console.evaluate(line)
            #expect(r.error == nil, "\(line): \(r.error ?? "")")
            #expect(r.output.contains(expected), "\(line) gave \(r.output)")
        }
    }

    @Test func floatsAndMalformedAmountsAreRefusedByName() throws {
        let f = try ScriptFixture()
        defer { f.cleanUp() }
        let (console, _) = try f.console()
        let cases = [
            ("crm.money.fen(0.1)", "floats are refused"),
            ("crm.money.fen('1.234')", "at most two decimals"),
            ("crm.money.fen('12a')", "'12a' is not an amount"),
            ("crm.money.yuan('12')", "expected integer fen"),
        ]
        for (line, message) in cases {
            let r = console.evaluate(line)
            #expect(r.error?.contains(message) == true, "\(line) gave \(r.error ?? r.output)")
        }
    }

    @Test func moneyTextParsesOnlyPlainAmounts() {
        #expect(MoneyText.fen("1.") == nil)
        #expect(MoneyText.fen(".5") == nil)
        #expect(MoneyText.fen("+3.5") == 350)
        #expect(MoneyText.fen("92233720368547758.07") == Int64.max)
        #expect(MoneyText.fen("92233720368547758.08") == nil)
        #expect(MoneyText.yuan(Int64.min + 1).hasPrefix("-92233720368547758."))
    }
}
