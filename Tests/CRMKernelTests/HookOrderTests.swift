import Foundation
import Testing
@testable import CRMKernel

/// Hooks that must run after all others, and hooks that tell imports from single creates.
struct HookOrderTests {
    @Test func lastHooksRunAfterEveryOrdinaryHookWhateverTheMergeOrder() throws {
        let seen = Recorder<String>()
        var plugin = HookSet()
        plugin.onBeforeSaveLast("company") { ctx in seen.append("last:" + (ctx.values["city"]?.textValue ?? "")) }
        plugin.onBeforeSave("company") { ctx in seen.append("plugin") }
        var company = HookSet()
        company.onBeforeSave("company") { ctx in ctx.values["city"] = t("深圳"); seen.append("script") }
        plugin.merge(company)
        let s = try TestStore(hooks: plugin)
        try s.store.create("company", ["name": t("甲")])
        #expect(seen.all == ["plugin", "script", "last:深圳"])
        #expect(plugin.withoutEntities(["company"]).beforeSave["company"] == nil)
    }

    @Test func hooksKnowWhetherTheyRunInABulkImport() throws {
        let seen = Recorder<Bool>()
        var hooks = HookSet()
        hooks.onBeforeSave("company") { ctx in seen.append(ctx.tx.isBulk) }
        let s = try TestStore(hooks: hooks)
        try s.store.create("company", ["name": t("甲")])
        _ = try s.store.bulkCreate("company", [["name": t("乙")], ["name": t("丙")]])
        try s.store.create("company", ["name": t("丁")])
        #expect(seen.all == [false, true, true, false])
    }
}
