import Foundation
import Testing
@testable import CRMKernel

struct HookTests {
    struct Boom: Error {}

    @Test func aBeforeSaveHookChangesValuesOnCreateAndUpdate() throws {
        var hooks = HookSet()
        hooks.onBeforeSave("company") { ctx in
            if case .text(let code) = ctx.values["code"] ?? .null { ctx.values["code"] = .text(code.uppercased()) }
            if ctx.operation == .create, ctx.values["city"] == nil { ctx.values["city"] = .text("深圳") }
            if ctx.changed("stage"), ctx.values["stage"] == .text("won") { ctx.values["employees"] = .text("100") }
        }
        let s = try TestStore(hooks: hooks)
        let r = try s.store.create("company", ["name": t("A"), "code": t("abc-1")])
        #expect(r["code"] == t("ABC-1"))
        #expect(r["city"] == t("深圳"))
        #expect(try s.store.get("company", r.id)?["code"] == t("ABC-1"))
        let u = try s.store.update("company", r.id, ["stage": t("won"), "code": t("xyz-9")])
        #expect(u["employees"] == i(100))
        #expect(try s.store.get("company", r.id)?["employees"] == i(100))
        #expect(try s.store.get("company", r.id)?["code"] == t("XYZ-9"))
        #expect(try s.store.get("company", r.id)?["city"] == t("深圳"))
    }

    @Test func valuesSetByHooksAreValidatedAndSystemFieldsAreLeftAlone() throws {
        var hooks = HookSet()
        hooks.onBeforeSave("company") { ctx in
            if ctx.values["name"] == .text("bad type") { ctx.values["employees"] = .text("lots") }
            if ctx.values["name"] == .text("unknown") { ctx.values["colour"] = .text("red") }
            if ctx.values["name"] == .text("too big") { ctx.values["employees"] = .integer(5000) }
            if ctx.values["name"] == .text("system") { ctx.values["created_by"] = .integer(12345) }
        }
        let s = try TestStore(hooks: hooks)
        #expect(kernelError { try s.store.create("company", ["name": t("bad type")]) }?.fieldErrors.map(\.field) == ["employees"])
        #expect(kernelError { try s.store.create("company", ["name": t("unknown")]) }?.fieldErrors.map(\.field) == ["colour"])
        #expect(kernelError { try s.store.create("company", ["name": t("too big")]) }?.fieldErrors.map(\.field) == ["employees"])
        let r = try s.store.create("company", ["name": t("system")])
        #expect(try s.store.get("company", r.id)?["created_by"] == .null)
        #expect(try s.store.count("company") == 1)
    }

    @Test func aRejectionRollsBackEverythingIncludingNestedWrites() throws {
        var hooks = HookSet()
        hooks.onBeforeSave("company") { ctx in
            try ctx.tx.create("contact", ["name": .text("made by hook")])
            if ctx.operation == .update, let old = ctx.old { try ctx.tx.update("contact", 1, ["name": .text("changed for \(old.id)")]) }
            if ctx.values["stage"] == .text("lost") { ctx.reject("stage", "lost deals need a reason") }
        }
        let seen = Recorder<String>()
        hooks.on("*") { seen.append($0.name) }
        let s = try TestStore(hooks: hooks)
        let ok = try s.store.create("company", ["name": t("A")])
        #expect(try s.store.count("contact") == 1)
        let outboxBefore = try s.store.outbox(after: 0).count
        let e = try #require(kernelError { try s.store.update("company", ok.id, ["stage": t("lost")]) })
        #expect(e.kind == .validation)
        #expect(e.entity == "company")
        #expect(e.fieldErrors == [FieldError(field: "stage", message: "lost deals need a reason")])
        #expect(try s.store.count("contact") == 1)
        #expect(try s.store.get("contact", 1)?["name"] == t("made by hook"))
        #expect(try s.store.get("company", ok.id)?["stage"] == t("lead"))
        #expect(try s.store.history("company", ok.id).count == 1)
        #expect(try s.store.outbox(after: 0).count == outboxBefore)
        #expect(kernelError { try s.store.create("company", ["name": t("B"), "stage": t("lost")]) }?.fieldErrors.map(\.field) == ["stage"])
        #expect(try s.store.count("company") == 1)
        #expect(try s.store.count("contact") == 1)
        #expect(seen.all == ["contact.after_create", "company.after_create"])
    }

    @Test func aHookThatThrowsRollsBackAndCanRejectDeletes() throws {
        var hooks = HookSet()
        hooks.onBeforeSave("company") { ctx in
            if ctx.values["name"] == .text("explode") { throw Boom() }
            if ctx.operation == .delete, ctx.values["stage"] == .text("won") { ctx.reject("stage", "won companies are kept") }
        }
        let s = try TestStore(hooks: hooks)
        #expect(throws: Boom.self) { try s.store.create("company", ["name": t("explode")]) }
        #expect(try s.store.count("company") == 0)
        let won = try s.store.create("company", ["name": t("W"), "stage": t("won")])
        #expect(kernelError { try s.store.delete("company", won.id) }?.fieldErrors.map(\.field) == ["stage"])
        #expect(try s.store.get("company", won.id) != nil)
        try s.store.update("company", won.id, ["stage": t("lead")])
        try s.store.delete("company", won.id)
        #expect(try s.store.get("company", won.id) == nil)
    }

    @Test func afterEventsArriveOnceAfterCommitInCommitOrder() throws {
        let events = Recorder<Event>()
        let visible = Recorder<Bool>()
        let box = Recorder<RecordStore>()
        var hooks = HookSet()
        hooks.on("company.after_create") { e in
            events.append(e)
            visible.append((try? box.all.first?.get("company", e.recordID!)) != nil)
        }
        hooks.on("company.after_update") { events.append($0) }
        hooks.on("company.after_delete") { events.append($0) }
        let s = try TestStore(hooks: hooks)
        box.append(s.store)
        let alice = try s.makeUser("alice")
        let a = try s.store.create("company", ["name": t("A"), "employees": i(1)], as: alice)
        try s.store.write(as: alice) { tx in
            try tx.create("company", ["name": t("B")])
            try tx.update("company", a.id, ["employees": i(2), "city": t("北京")])
        }
        try s.store.delete("company", a.id)
        let got = events.all
        #expect(got.map(\.name) == ["company.after_create", "company.after_create", "company.after_update", "company.after_delete"])
        #expect(got.map(\.seq) == got.map(\.seq).sorted())
        #expect(Set(got.map(\.seq)).count == 4)
        #expect(visible.all == [true, true])
        #expect(got[0].userID == alice.id)
        #expect(got[0].payload["name"] == t("A"))
        #expect(got[0].payload["id"] == i(a.id))
        #expect(got[2].recordID == a.id)
        #expect(got[2].payload["employees"] == i(2))
        #expect(got[2].previous == ["employees": i(1), "city": .null])
        #expect(got[3].payload["city"] == t("北京"))
    }

    @Test func aRolledBackWriteDeliversNoEventAndWritesNoOutbox() throws {
        let events = Recorder<String>()
        var hooks = HookSet()
        hooks.on("*") { events.append($0.name) }
        let s = try TestStore(hooks: hooks)
        #expect(throws: Boom.self) {
            try s.store.write(as: .system) { tx -> Void in
                try tx.create("company", ["name": t("A")])
                try tx.publish("company.custom", entity: "company", recordID: nil, payload: [:])
                throw Boom()
            }
        }
        #expect(kernelError { try s.store.create("company", ["name": t("")]) } != nil)
        #expect(events.all.isEmpty)
        #expect(try s.store.outbox(after: 0).isEmpty)
        try s.store.create("company", ["name": t("B")])
        #expect(events.all == ["company.after_create"])
    }

    @Test func eventsFromConcurrentWritersArriveOnceEachInCommitOrder() throws {
        let seqs = Recorder<Int64>()
        var hooks = HookSet()
        hooks.on("company.after_create") { seqs.append($0.seq) }
        let s = try TestStore(hooks: hooks)
        let store = s.store
        DispatchQueue.concurrentPerform(iterations: 40) { n in
            _ = try? store.create("company", ["name": .text("C\(n)")])
        }
        #expect(try s.store.count("company") == 40)
        #expect(seqs.all.count == 40)
        #expect(seqs.all == seqs.all.sorted())
        #expect(Set(seqs.all).count == 40)
    }

    @Test func outboxRowsAreWrittenWithTheTransactionAndReadByCursor() throws {
        let s = try TestStore()
        let alice = try s.makeUser("alice")
        let a = try s.store.create("company", ["name": t("A"), "revenue": d("12.50")], as: alice)
        try s.store.write(as: alice) { tx in
            try tx.update("company", a.id, ["revenue": d("13")])
            try tx.publish("company.promoted", entity: "company", recordID: a.id, payload: ["level": t("gold")])
        }
        let all = try s.store.outbox(after: 0)
        #expect(all.map(\.event) == ["user.after_create", "company.after_create", "company.after_update", "company.promoted"])
        #expect(all.map(\.seq) == all.map(\.seq).sorted())
        let create = all[1]
        #expect(create.entity == "company")
        #expect(create.recordID == a.id)
        #expect(create.userID == alice.id)
        #expect(create.payload.contains("\"revenue\":\"12.5\""))
        #expect(create.payload.hasPrefix("{\"record\":{"))
        #expect(all[2].payload.contains("\"previous\":{\"revenue\":\"12.5\"}"))
        #expect(all[3].payload == "{\"record\":{\"level\":\"gold\"}}")
        #expect(try s.store.outbox(after: all[1].seq).map(\.seq) == [all[2].seq, all[3].seq])
        #expect(try s.store.outbox(after: 0, limit: 2).map(\.seq) == [all[0].seq, all[1].seq])
        #expect(try s.store.outbox(after: all[3].seq).isEmpty)

        #expect(try s.store.outboxCursor("erp") == 0)
        try s.store.acknowledgeOutbox("erp", upTo: all[2].seq)
        #expect(try s.store.outboxCursor("erp") == all[2].seq)
        try s.store.acknowledgeOutbox("erp", upTo: all[0].seq)
        #expect(try s.store.outboxCursor("erp") == all[2].seq)
        #expect(try s.store.outbox(after: s.store.outboxCursor("erp")).map(\.event) == ["company.promoted"])
        #expect(try s.store.outboxCursor("mail") == 0)
    }

    @Test func hooksSeeTheOldRecordAndWhatChanged() throws {
        let seen = Recorder<String>()
        var hooks = HookSet()
        hooks.onBeforeSave("company") { ctx in
            seen.append("\(ctx.operation.rawValue) id=\(ctx.id.map(String.init) ?? "nil") old=\(ctx.old?["city"].description ?? "nil") city=\(ctx.changed("city")) name=\(ctx.changed("name")) user=\(ctx.user.name)")
        }
        let s = try TestStore(hooks: hooks)
        let a = try s.store.create("company", ["name": t("A"), "city": t("北京")])
        try s.store.update("company", a.id, ["city": t("上海")])
        try s.store.delete("company", a.id)
        #expect(seen.all == [
            "create id=nil old=nil city=true name=true user=system",
            "update id=\(a.id) old=北京 city=true name=false user=system",
            "delete id=\(a.id) old=上海 city=false name=false user=system",
        ])
    }
}
