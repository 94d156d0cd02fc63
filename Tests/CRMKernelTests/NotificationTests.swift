import Foundation
import Testing
@testable import CRMKernel

struct NotificationTests {
    @Test func sendListAndMarkRead() throws {
        let t = try TestStore()
        let ann = try t.makeUser("ann")
        let bob = try t.makeUser("bob")
        let annID = try #require(ann.id)
        let first = try t.store.write(as: .system) { tx in
            try Notifications.send(.init(user: annID, kind: "task.reminder", title: "回访客户", entity: "task", recordID: 7, key: "task:7:remind"), in: tx)
        }
        #expect(first != nil)
        // The same key again sends nothing: a scheduler pass that runs twice notifies once.
        let again = try t.store.write(as: .system) { tx in
            try Notifications.send(.init(user: annID, kind: "task.reminder", title: "回访客户", key: "task:7:remind"), in: tx)
        }
        #expect(again == nil)
        try t.store.write(as: .system) { tx in _ = try Notifications.send(.init(user: annID, kind: "note", title: "第二条"), in: tx) }

        let unread = try t.store.read { try Notifications.list(for: annID, unreadOnly: true, in: $0) }
        #expect(unread.map { $0["title"] } == [.text("第二条"), .text("回访客户")])
        let id = try #require(first?.id)
        // Bob cannot mark Ann's notification; nothing changes.
        #expect(throws: KernelError.self) { try t.store.write(as: bob) { tx in try Notifications.markRead([id], user: bob.id, in: tx) } }
        #expect(try t.store.read { try Notifications.list(for: annID, unreadOnly: true, in: $0) }.count == 2)
        let changed = try t.store.write(as: ann) { tx in try Notifications.markRead([id, id], user: annID, in: tx) }
        #expect(changed == 1)
        #expect(try t.store.read { try Notifications.list(for: annID, unreadOnly: true, in: $0) }.map(\.id) != [id])
        #expect(try t.store.read { try Notifications.list(for: annID, in: $0) }.count == 2)
    }
}
