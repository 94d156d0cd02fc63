import Foundation
import GRDB
import Testing
@testable import CRMKernel

/// In-transaction after-save hooks, composite indexes and settings read inside a transaction.
struct AfterSaveHookTests {
    static let decls = SchemaDeclarations(entities: [
        EntityDefinition("deal", label: LocalizedText("交易"), fields: [
            FieldDefinition("name", .text, label: LocalizedText("名称"), required: true),
            FieldDefinition("stage", .text, label: LocalizedText("阶段")),
            FieldDefinition("amount", .money, label: LocalizedText("金额"), min: 0),
        ], indexes: [["stage", "amount"]]),
        EntityDefinition("deal_log", label: LocalizedText("日志"), fields: [
            FieldDefinition("deal", .reference, label: LocalizedText("交易"), required: true, target: "deal"),
            FieldDefinition("note", .text, label: LocalizedText("内容")),
        ]),
    ])

    static var hooks: HookSet {
        var set = HookSet()
        set.onAfterSave("deal") { ctx in
            guard ctx.operation == .create || ctx.changed("stage") else { return }
            try ctx.tx.create("deal_log", ["deal": .integer(ctx.record.id), "note": .text("\(ctx.old?["stage"].description ?? "-")→\(ctx.record["stage"])")])
        }
        return set
    }

    @Test func afterSaveHooksSeeTheNewIdAndWriteInTheSameTransaction() throws {
        let s = try TestStore(Self.decls, hooks: Self.hooks)
        let deal = try s.store.create("deal", ["name": t("甲"), "stage": t("a")])
        try s.store.update("deal", deal.id, ["amount": d("5")])
        try s.store.update("deal", deal.id, ["stage": t("b")])
        let logs = try s.store.find(Query("deal_log", sort: [SortKey("id")])).records
        #expect(logs.map { $0["note"] } == [t("-→a"), t("a→b")], "the amount-only update logs nothing")
        #expect(logs.allSatisfy { $0["deal"] == .integer(deal.id) })
    }

    @Test func aThrowingAfterSaveHookRollsTheWholeWriteBack() throws {
        var hooks = HookSet()
        hooks.onAfterSave("deal") { ctx in
            try ctx.tx.create("deal_log", ["deal": .integer(ctx.record.id)])
            throw KernelError(.conflict, "no")
        }
        let s = try TestStore(Self.decls, hooks: hooks)
        #expect(kernelError { try s.store.create("deal", ["name": t("甲")]) }?.kind == .conflict)
        #expect(try s.store.count("deal") == 0 && s.store.count("deal_log") == 0)
        #expect(hooks.withoutEntities(["deal"]).afterSave["deal"] == nil)
    }

    @Test func compositeIndexesAreCreatedAndUnknownFieldsRefused() throws {
        let s = try TestStore(Self.decls)
        let names = try s.store.pool.read { db in try db.indexes(on: "e_deal").map(\.name) }
        #expect(names.contains("ixc_4_deal_5_stage_6_amount"))
        var bad = Self.decls
        bad.entities[0].indexes = [["stage", "nope"]]
        #expect(kernelError { _ = try SchemaBuilder.build([KernelEntities.declarations, bad]) }?.fieldErrors.first?.field == "nope")
    }

    @Test func settingsAreReadableInsideATransaction() throws {
        let s = try TestStore(Self.decls)
        try s.store.setSetting("time_zone", "Asia/Shanghai")
        #expect(try s.store.read { try $0.setting("time_zone") } == "Asia/Shanghai")
        #expect(try s.store.write(as: .system) { try $0.reader.setting("missing") } == nil)
    }
}
