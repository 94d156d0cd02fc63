import CRMKernel
import Foundation
import HummingbirdTesting
import Testing

/// A module written for the test: a page whose template would write a value unescaped, and
/// sections of the customer page that fail or that the user may not see.
struct PageTestPlugin: Plugin {
    var manifest: PluginManifest {
        PluginManifest(id: "pagetest", name: LocalizedText("页面测试", en: "Page test"), version: "1.0.0", dependencies: ["customers"],
                       summary: LocalizedText("测试用页面", en: "Pages for tests"))
    }

    static func section(_ id: String, order: Int, _ data: @escaping @Sendable (PageRequest) throws -> PageData) -> PluginPage {
        PluginPage(id, path: "#pt-\(id)", title: LocalizedText("测试\(id)", en: "Test \(id)"), requires: FunctionAccess(entity: "customer", action: .read),
                   view: PageView(template: PageTemplate(text: "<p class=\"pt\">{{note}}</p>"), data: data), placement: .section(entity: "customer", order: order))
    }

    var pages: [PluginPage] {
        [
            PluginPage("unsafe", path: "/pagetest/unsafe", title: LocalizedText("不安全", en: "Unsafe"),
                       view: PageView(template: PageTemplate(text: "<p>{{{html}}}</p>")) { _ in ["html": "<b>粗体</b>"] }),
            Self.section("fails", order: 1) { _ in throw KernelError(.scriptFailed, "模块出错<了>") },
            Self.section("hidden", order: 2) { r in throw KernelError.recordNotFound("customer", try r.recordID()) },
            Self.section("fine", order: 3) { r in ["note": .text("第\(try r.recordID())号<ok>")] },
        ]
    }
}

struct SectionFailureTests {
    @Test func aFailingSectionIsToldInItsCardAndTheRestOfThePageStands() async throws {
        let f = try WebFixture(plugins: [PageTestPlugin()])
        let id = try f.host.workspace.store.create("customer", ["name": .text("分区客户"), "phone": .text("13900000306"), "industry": .text("制造业"),
                                                                "source": .text("展会推荐"), "owner": .integer(f.ids["rep1"]!)]).id
        try await f.withClient { c in
            let b = Browser(c)
            try await b.signIn("rep1")
            let page = try await b.get("/e/customer/\(id)")
            #expect(page.status == 200, "\(page.html)")
            #expect(page.html.contains("id=\"pt-fails\"") && page.html.contains("模块出错&lt;了&gt;"))
            #expect(!page.html.contains("id=\"pt-hidden\""))
            #expect(page.html.contains("第\(id)号&lt;ok&gt;") && page.html.contains("分区客户"))
            let unsafe = try await b.get("/pagetest/unsafe")
            #expect(unsafe.status >= 400 && !unsafe.html.contains("<b>粗体</b>") && unsafe.html.contains("{{{"), "\(unsafe.status)")
        }
    }
}
