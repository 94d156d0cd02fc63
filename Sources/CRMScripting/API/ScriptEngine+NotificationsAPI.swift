import CRMKernel

extension ScriptEngine {
    /// `crm.notifications{unread = true, limit = 50, user = id}` and `crm.mark_read(id or {ids})`.
    func registerNotificationFunctions() throws(LuaError) {
        try state.register("crm.notifications") { [unowned self] args in
            try requireData("crm.notifications")
            let opts = args.isNil(0) ? LuaTable(fields: [:]) : try args.table(0)
            for key in opts.fields.keys where !["unread", "limit", "user"].contains(key) {
                throw LuaError.script("crm.notifications: unknown option '\(key)' (known: unread, limit, user)")
            }
            let acting = transactions.last?.user ?? user
            let user = try notificationUser(acting, named: opts["user"], "crm.notifications")
            let unread: Bool
            switch opts["unread"] {
            case .nil: unread = false
            case .boolean(let b): unread = b
            default: throw LuaError.script("crm.notifications: unread must be true or false")
            }
            var limit = 50
            if case .nil = opts["limit"] {} else {
                guard let n = opts["limit"].integerValue, n > 0 else { throw LuaError.script("crm.notifications: limit must be a positive integer") }
                limit = Int(min(n, 1000))
            }
            let list = try kernel { try read { try Notifications.list(for: user, unreadOnly: unread, limit: limit, in: $0) } }
            return [.table(LuaTable(array: list.map(LuaBridge.table)))]
        }
        try state.register("crm.mark_read") { [unowned self] args in
            try requireData("crm.mark_read")
            let ids: [Int64]
            switch try args.value(0) {
            case .integer(let id): ids = [id]
            case .table(let t) where t.fields.isEmpty:
                ids = try t.array.map { v throws(LuaError) in
                    guard let id = v.integerValue else { throw LuaError.script("crm.mark_read: expects notification ids") }
                    return id
                }
            default: throw LuaError.script("crm.mark_read: expects a notification id or a list of ids")
            }
            let acting = transactions.last?.user ?? user
            let n = try kernel { try write { try Notifications.markRead(ids, user: acting.id, in: $0) } }
            return [.integer(Int64(n))]
        }
    }

    /// Whose notifications a call means: the acting user's; the system (no user id) must name one.
    /// A user may name only themselves unless they are an admin.
    private func notificationUser(_ acting: ActingUser, named: LuaValue, _ name: String) throws(LuaError) -> Int64 {
        if case .nil = named {
            guard let id = acting.id else {
                throw LuaError.script("\(name): there is no acting user; name one with {user = id}")
            }
            return id
        }
        guard let id = named.integerValue else { throw LuaError.script("\(name): user must be a user id") }
        if let own = acting.id, own != id, !workspace.store.schema.isAdministrator(acting) {
            throw LuaError.script("\(name): only an administrator may read another user's notifications")
        }
        return id
    }
}
