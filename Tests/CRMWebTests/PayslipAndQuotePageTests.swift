import CRMKernel
import Foundation
import HummingbirdTesting
import Testing

/// Pages the payroll and orders modules bring from their folders: the payslip (an employee sees
/// only their own) and the quote's 新版本 / 转为订单 buttons in the lines section.
struct PayslipAndQuotePageTests {
    /// A payslip of `user` for 2026-11 with a commission line, written as the module would.
    static func payslip(_ f: WebFixture, user: Int64) throws -> Int64 {
        let store = f.host.workspace.store
        let run = try store.create("payroll_run", ["title": .text("2026年11月"), "period": .text("2026-11"), "kind": .text("正常")]).id
        let lines = #"[{"label":"订单 SO-1 回款提成","amount":123456,"explain":"回款 12345.60 元 × 10%"}]"#
        return try store.create("payslip", [
            "run": .integer(run), "user": .integer(user), "owner": .integer(user), "period": .text("2026-11"), "kind": .text("正常"),
            "base_salary": .decimal(8000), "commission": .decimal(Decimal(string: "1234.56")!), "gross": .decimal(Decimal(string: "9234.56")!),
            "insurance_employee": .decimal(Decimal(string: "840.5")!), "fund_employee": .decimal(560), "tax": .decimal(Decimal(string: "50.02")!),
            "net": .decimal(Decimal(string: "7784.04")!), "insurance_employer": .decimal(1600), "commission_lines": .text(lines),
        ]).id
    }

    @Test func anEmployeeSeesTheirPayslipWithItsLinesAndNotAnothers() async throws {
        let f = try WebFixture()
        let own = try Self.payslip(f, user: f.ids["rep1"]!)
        let other = try Self.payslip(f, user: f.ids["rep2"]!)
        try await f.withClient { c in
            let b = Browser(c)
            try await b.signIn("rep1")
            let page = try await b.get("/payroll/payslips/\(own)")
            #expect(page.status == 200, "\(page.html)")
            #expect(page.html.contains("id=\"payslip-gross\">9234.56") && page.html.contains("id=\"payslip-net\">7784.04"))
            #expect(page.html.contains("个人所得税") && page.html.contains("50.02") && page.html.contains("社保(个人)") && page.html.contains("840.50"))
            #expect(page.html.contains("订单 SO-1 回款提成") && page.html.contains("1234.56"))
            #expect(try await b.get("/payroll/payslips/\(other)").status == 404)
            let boss = Browser(c)
            try await boss.signIn("boss")
            #expect(try await boss.get("/payroll/payslips/\(other)").html.contains("id=\"payslip-net\">7784.04"))
        }
    }

    @Test func aQuoteGetsANewVersionAndBecomesAnOrderFromItsPage() async throws {
        let f = try WebFixture()
        let store = f.host.workspace.store
        let rep = f.ids["rep1"]!
        let customer = try store.create("customer", ["name": .text("报价客户"), "phone": .text("13900000311"), "industry": .text("制造业"),
                                                     "source": .text("展会推荐"), "owner": .integer(rep)]).id
        let quote = try store.create("quote", ["customer": .integer(customer), "title": .text("报价一"), "owner": .integer(rep)]).id
        try await f.withClient { c in
            let b = Browser(c)
            try await b.signIn("rep1")
            let page = try await b.get("/e/quote/\(quote)")
            #expect(page.status == 200 && page.html.contains("id=\"quote-new-version\"") && page.html.contains("id=\"quote-convert\""), "\(page.html)")
            let csrf = try #require(page.hidden("_csrf"))
            let added = try await b.post("/do/orders/add_line", [("_csrf", csrf), ("_token", "add-1"), ("_back", "/e/quote/\(quote)"), ("next", "/e/quote/\(quote)#lines"),
                                                                 ("arg1", "quote"), ("id", String(quote)), ("description", "实施服务"), ("quantity", "2"), ("sales_price", "1000")])
            #expect(added.location == "/e/quote/\(quote)?saved=1#lines", "\(added.status) \(added.html)")
            let versioned = try await b.post("/do/orders/new_version", [("_csrf", csrf), ("_token", "nv-1"), ("_back", "/e/quote/\(quote)"), ("next", "/e/quote/{id}"),
                                                                        ("quote_id", String(quote))])
            let newQuote = try #require(try store.find(Query("quote", filter: .eq("previous", .integer(quote)))).records.first)
            #expect(versioned.location == "/e/quote/\(newQuote.id)?saved=1")
            #expect(try store.get("quote", quote)?["superseded"] == .bool(true))
            let old = try await b.get("/e/quote/\(quote)")
            #expect(!old.html.contains("id=\"quote-new-version\"") && !old.html.contains("id=\"quote-convert\""))
            let converted = try await b.post("/do/orders/convert", [("_csrf", csrf), ("_token", "cv-1"), ("_back", "/e/quote/\(newQuote.id)"), ("next", "/e/order/{id}"),
                                                                    ("quote_id", String(newQuote.id))])
            let order = try #require(try store.find(Query("order", filter: .eq("quote", .integer(newQuote.id)))).records.first)
            #expect(converted.location == "/e/order/\(order.id)?saved=1")
            #expect(try store.find(Query("order_line", filter: .eq("order", .integer(order.id)))).records.count == 1)
            let orderPage = try await b.get("/e/order/\(order.id)")
            #expect(orderPage.html.contains("id=\"lines\"") && orderPage.html.contains("实施服务") && orderPage.html.contains("id=\"doc-total\">¥2000"))
            let twice = try await b.post("/do/orders/convert", [("_csrf", csrf), ("_token", "cv-2"), ("_back", "/e/quote/\(newQuote.id)"), ("next", "/e/order/{id}"),
                                                                ("quote_id", String(newQuote.id))])
            #expect(twice.status == 422 && twice.html.contains("id=\"line-error\""), "\(twice.status)")
        }
    }
}
