import CRMKernel
@testable import CRMScripting
import Foundation
import Testing

/// `crm.notifications` and `crm.mark_read`: the acting user's own notifications.
struct NotificationScriptTests {
    @Test func aUserListsTheirOwnNotificationsNewestFirstAndMarksThemRead() throws {
        let f = try ScriptFixture(ScriptFixture.stockPack)
        defer { f.cleanUp() }
        let (console, _) = try f.console()
        let store = f.workspace.store
        let admin = try #require(try store.find(Query("user", filter: .eq("name", .text("admin")))).records.first).id
        let lina = try store.create("user", ["name": .text("lina"), "role": .text("sales_rep")]).id
        try store.write(as: .system) { tx in
            for (user, title) in [(admin, "一"), (admin, "二"), (lina, "别人的")] {
                try Notifications.send(.init(user: user, kind: "task.reminder", title: title), in: tx)
            }
        }
        #expect(console.evaluate("#crm.notifications()").output == "2")
        #expect(console.evaluate("crm.notifications{limit = 1}[1].title").output == "二")
        #expect(console.evaluate("crm.mark_read({crm.notifications()[1].id, crm.notifications()[2].id})").output == "2")
        #expect(console.evaluate("#crm.notifications{unread = true}").output == "0")
        #expect(console.evaluate("#crm.notifications{user = \(lina)}").output == "1", "an admin may look at another user's")
        #expect(console.evaluate("crm.notifications{unred = true}").error?.contains("unknown option 'unred'") == true)
        #expect(console.evaluate("crm.mark_read(424242)").error?.contains("does not exist") == true)
    }

    @Test func aUserCannotReadOrMarkAnotherUsersNotifications() throws {
        let f = try ScriptFixture(ScriptFixture.stockPack)
        defer { f.cleanUp() }
        let store = f.workspace.store
        let host = try f.host()
        try store.create("user", ["name": .text("lina"), "role": .text("sales_rep")])
        try host.engine.act(as: "lina")
        let console = Console(host: host) { _ in }
        let wang = try store.create("user", ["name": .text("wang"), "role": .text("sales_rep")]).id
        let note = try store.write(as: .system) { tx in try Notifications.send(.init(user: wang, kind: "pool.warning", title: "客户将退回公海"), in: tx) }
        #expect(console.evaluate("crm.notifications{user = \(wang)}").error?.contains("only an admin") == true)
        // Another user's notification is not revealed: it does not exist for her.
        #expect(console.evaluate("crm.mark_read(\(note!.id))").error?.contains("does not exist") == true)
        #expect(try store.get("notification", note!.id)?["read_at"] == .null)
    }
}
