import CRMKernel
import Foundation
import Testing
@testable import CRMWeb

/// How the generic form action maps fields to a module function's arguments, where it goes
/// afterwards, and how module templates are held to escaped output.
struct ModuleActionArgumentTests {
    static func function(_ summary: String) -> ScriptFunction {
        ScriptFunction("f", summary: summary, effect: .read, access: .read("customer")) { _ in .null }
    }

    static func args(_ summary: String, _ form: String) throws -> [ScriptValue] {
        try WebApp.actionArguments(FormBody(form), function(summary))
    }

    @Test func fieldsFillTheArgumentsTheSummaryNamesAndTheRestGoesToTheTable() throws {
        #expect(try Self.args("crm.customers.claim(id) → the customer", "_csrf=x&_token=t&next=%2F&id=12") == [.value(.integer(12))])
        #expect(try Self.args("crm.customers.release(id, reason) → the customer", "id=3&reason=%E5%A4%AA%E8%BF%9C")
                == [.value(.integer(3)), .value(.text("太远"))])
        #expect(try Self.args("crm.orders.update_line(line_id, {quantity, discount, ...}) → the line", "line_id=5&quantity=2&discount=&_back=%2Fe%2Forder%2F1")
                == [.value(.integer(5)), .table(["quantity": .value(.text("2"))])])
        #expect(try Self.args("crm.orders.add_line(\"order\"|\"quote\", id, {product, quantity, ...}) → the line", "arg1=quote&id=3&product=7&quantity=1")
                == [.value(.text("quote")), .value(.integer(3)), .table(["product": .value(.text("7")), "quantity": .value(.text("1"))])])
        #expect(try Self.args("crm.orders.new_version(quote_id [, fields]) → the new quote", "quote_id=9") == [.value(.integer(9))])
        #expect(try Self.args("crm.orders.convert(quote_id [, fields]) → the order", "quote_id=9&fields.title=%E6%96%B0")
                == [.value(.integer(9)), .table(["title": .value(.text("新"))])])
        #expect(try Self.args("crm.finance.installments{as_of, status} → the installments", "as_of=2026-12-31&status=&next=%2F")
                == [.table(["as_of": .value(.text("2026-12-31"))])])
    }

    @Test func typedMembersAreWholeNumbersAndBooleansOrAFieldError() throws {
        #expect(try Self.args("crm.service.reply(ticket_id, {body = \"...\", template = id, internal = false}) → the message",
                              "ticket_id=1&template%3Aint=4&internal%3Abool=1&body=hi")
                == [.value(.integer(1)), .table(["template": .value(.integer(4)), "internal": .value(.bool(true)), "body": .value(.text("hi"))])])
        let badNumber = try? Self.args("crm.service.reply(ticket_id, {body, template}) → m", "ticket_id=1&template%3Aint=four")
        #expect(badNumber == nil)
        do {
            _ = try Self.args("crm.customers.claim(id) → c", "id=abc")
            Issue.record("a non-numeric id was accepted")
        } catch let error as KernelError {
            #expect(error.kind == .validation && error.fieldErrors.map(\.field) == ["id"])
        }
    }

    @Test func theNextPathGetsSavedBeforeItsAnchorAndTheReturnedRecordsID() {
        #expect(WebApp.savedLocation("/e/order/1#lines", result: .null) == "/e/order/1?saved=1#lines")
        #expect(WebApp.savedLocation("/finance/aging?by=rep", result: .null) == "/finance/aging?by=rep&saved=1")
        let record = Record(entity: "order", id: 42, values: [:])
        #expect(WebApp.savedLocation("/e/order/{id}", result: .record(record)) == "/e/order/42?saved=1")
        #expect(WebApp.argumentName("{quantity, discount, ...}") == nil && WebApp.argumentName("{fields}") == "fields"
                && WebApp.argumentName("\"order\"|\"quote\"") == nil && WebApp.argumentName("quote_id") == "quote_id")
    }

    @Test func aTemplateThatCouldWriteAValueUnescapedIsRefused() throws {
        for text in ["<p>{{{html}}}</p>", "<p>{{& html}}</p>", "{{=<% %>=}}<%html%>", "{{%CONTENT_TYPE:TEXT}}{{html}}"] {
            #expect(throws: KernelError.self, "\(text)") { try ModuleViews.checkEscaped(text, "test.page") }
        }
        try ModuleViews.checkEscaped("{{#rows}}<a href=\"/e/x/{{id}}\">{{name}}</a>{{/rows}}{{^rows}}—{{/rows}}", "test.page")
        let views = ModuleViews()
        let data: PageData = ["rows": [["id": 1, "name": "<script>alert(\"x\")</script>"]], "total": .money(123_450)]
        let out = try views.render("test.page", PageTemplate(text: "{{#rows}}<a title=\"{{name}}\">{{name}}</a>{{/rows}} {{total}} {{csrf}}"),
                                   data: data, extra: ["csrf": "c\"sr<f"]).text
        #expect(out == "<a title=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;\">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</a> 1234.50 c&quot;sr&lt;f")
        #expect(throws: KernelError.self) { try views.render("test.bad", PageTemplate(text: "{{{x}}}"), data: [:], extra: [:]) }
    }
}
