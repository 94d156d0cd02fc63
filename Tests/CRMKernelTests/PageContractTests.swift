import Foundation
import Testing
@testable import CRMKernel

/// The contract of a module's own pages: the view (template and data function), sections, the
/// page data tree and the one money formatter every page uses.
struct PageContractTests {
    static let view = PageView(template: PageTemplate(text: "<p>{{x}}</p>")) { _ in ["x": "1"] }

    @Test func moneyIsWrittenAsYuanWithTwoDecimalsAndReadBackExactly() {
        #expect(MoneyText.yuan(Int64(123_450)) == "1234.50")
        #expect(MoneyText.yuan(Int64(-5)) == "-0.05")
        #expect(MoneyText.yuan(Int64(7)) == "0.07")
        #expect(MoneyText.yuan(nil as Int64?) == "")
        #expect(MoneyText.fen("12.3") == 1230 && MoneyText.fen("-0.05") == -5 && MoneyText.fen("12") == 1200)
        #expect(MoneyText.fen("1.234") == nil && MoneyText.fen("1.") == nil && MoneyText.fen("abc") == nil)
        #expect(MoneyText.fen(Value.decimal(Decimal(string: "840.505")!)) == 84051)
        #expect(MoneyText.fen(Value.integer(3)) == 300 && MoneyText.fen(Value.null) == nil)
        #expect(PageData.money(9_223_456) == .text("92234.56"))
    }

    @Test func pageDataIsBuiltFromLiteralsAndFieldValues() {
        let data: PageData = ["title": "公海", "count": 3, "open": true, "rows": [["id": 1]]]
        #expect(data["title"]?.text == "公海" && data["count"] == .integer(3) && data["open"] == .bool(true))
        #expect(data["rows"]?.list?.first?["id"] == .integer(1))
        #expect(PageData.value(.null) == nil && PageData.value(.text("")) == nil)
        #expect(PageData.value(.list(["A", "B"])) == .text("A、B") && PageData.value(.decimal(Decimal(string: "1.5")!)) == .text("1.5"))
    }

    @Test func pagesAreEqualByIdAndPathWhateverTheirView() {
        let plain = PluginPage("aging", path: "/finance/aging", title: LocalizedText("应收账龄"))
        let viewed = PluginPage("aging", path: "/finance/aging", title: LocalizedText("账龄"), view: Self.view)
        #expect(plain == viewed && plain.hashValue == viewed.hashValue)
        #expect(plain != PluginPage("aging", path: "/finance/aging2", title: LocalizedText("应收账龄")))
        #expect(!plain.isSection && PluginPage("lines", path: "#lines", title: LocalizedText("行"), view: Self.view,
                                               placement: .section(entity: "order", order: 1)).isSection)
    }

    @Test func theRegistryKeepsEachModulesPagesInDeclarationOrder() throws {
        let list = PluginPage("list", path: "/alpha/list", title: LocalizedText("列表"), view: Self.view)
        let lines = PluginPage("lines", path: "#lines", title: LocalizedText("行"), view: Self.view,
                               placement: .section(entity: "order", order: 1))
        let report = PluginPage("report", path: "/beta/report", title: LocalizedText("报表"), view: Self.view)
        let registry = try PluginRegistry([ContributingPlugin(id: "alpha", pages: [list, lines]),
                                           ContributingPlugin(id: "beta", pages: [report]),
                                           ContributingPlugin(id: "gamma")])
        #expect(registry.pages.map(\.module) == ["alpha", "beta", "gamma"])
        #expect(registry.pages(of: "alpha").map(\.id) == ["list", "lines"])
        #expect(registry.pages(of: "beta") == [report] && registry.pages(of: "gamma").isEmpty)
        #expect(registry.pages(of: "nowhere").isEmpty)
    }

    @Test func aSectionNeedsAViewAndAnAnchorUniquePerEntity() {
        func section(_ id: String, _ path: String, entity: String = "order", view: PageView? = Self.view) -> PluginPage {
            PluginPage(id, path: path, title: LocalizedText(id), view: view, placement: .section(entity: entity, order: 1))
        }
        #expect(throws: Never.self) { _ = try PluginRegistry([ContributingPlugin(id: "alpha", pages: [section("a", "#lines"), section("b", "#lines", entity: "quote")])]) }
        let clash = kernelError { _ = try PluginRegistry([ContributingPlugin(id: "alpha", pages: [section("a", "#lines")]),
                                                          ContributingPlugin(id: "beta", pages: [section("b", "#lines")])]) }
        #expect(clash?.message.contains("module beta: page path '#lines' clashes with page alpha.a") == true)
        let noView = kernelError { _ = try PluginRegistry([ContributingPlugin(id: "alpha", pages: [section("a", "#lines", view: nil)])]) }
        #expect(noView?.kind == .validation && noView?.message.contains("section a") == true)
        let notAnchor = kernelError { _ = try PluginRegistry([ContributingPlugin(id: "alpha", pages: [section("a", "/orders/lines")])]) }
        #expect(notAnchor?.kind == .validation)
    }

    @Test func aTemplateLoadsFromTheModulesPagesFolderOrSaysWhereItLooked() throws {
        #expect(try PageTemplate(text: "{{a}}").load() == "{{a}}")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crm-pages-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("Pages"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "<h1>{{title}}</h1>".write(to: dir.appendingPathComponent("Pages/pool.mustache"), atomically: true, encoding: .utf8)
        let source = dir.appendingPathComponent("PoolPage.swift").path
        #expect(try PageTemplate("pool", target: "CRMNowhere", sourceFile: source).load() == "<h1>{{title}}</h1>")
        let missing = kernelError { _ = try PageTemplate("nope", target: "CRMNowhere", sourceFile: source).load() }
        #expect(missing?.kind == .notFound && missing?.message.contains("nope.mustache") == true)
    }

    @Test func aPageRequestCallsTheModulesFunctionsAndBuildsLinksWithItsQuery() throws {
        let test = try TestStore(), store = test.store
        let request = PageRequest(store: store, user: ActingUser(id: 1, name: "rep"), access: AccessGuard.unrestricted, id: "12",
                                  query: ["q": "深圳 A&B", "after": "x"], language: .en, here: "/customers/pool?q=x") { name, args in
            .value(.text("\(name)(\(args.count))"))
        }
        #expect(try request.call("pools") == .value(.text("pools(0)")))
        #expect(try request.recordID() == 12 && request.text("公海", "Pool") == "Pool")
        #expect(request.link("/customers/pool", setting: "after", to: "y z") == "/customers/pool?after=y%20z&q=%E6%B7%B1%E5%9C%B3%20A%26B")
    }
}
