import CRMKernel

extension ScriptEngine {
    /// `crm.messages.send{...}`, `crm.messages.list{...}` and `crm.messages.retry(id)`: outbound
    /// e-mail and text messages, queued in the current transaction and sent after it commits.
    func registerMessageFunctions() throws(LuaError) {
        try state.register("crm.messages.send") { [unowned self] args in
            try requireData("crm.messages.send")
            let message = try MessageLua.outgoing(try args.table(0))
            // Hooks send as the company; a console user needs the right to create messages.
            _ = try permit(.create, "message")
            let record = try kernel { try write { try $0.sendMessage(message) } }
            return [record.map { .integer($0.id) } ?? .nil]
        }
        try state.register("crm.messages.list") { [unowned self] args in
            try requireData("crm.messages.list")
            let opts = args.isNil(0) ? LuaTable(fields: [:]) : try args.table(0)
            for key in opts.fields.keys where !["status", "source", "limit"].contains(key) {
                throw LuaError.script("crm.messages.list: unknown option '\(key)' (known: status, source, limit)")
            }
            var status: MessageStatus?
            if case .string(let s) = opts["status"] {
                guard let known = MessageStatus(rawValue: s) else {
                    throw LuaError.script("crm.messages.list: status must be one of \(MessageStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                status = known
            }
            var source: String?
            if case .string(let s) = opts["source"] { source = s }
            let limit = Int(opts["limit"].integerValue ?? 50)
            _ = try permit(.read, "message")
            let list = try kernel { try read { try Messages.list(status: status, source: source, limit: limit, in: $0) } }
            return [.table(LuaTable(array: list.map(LuaBridge.table)))]
        }
        try state.register("crm.messages.retry") { [unowned self] args in
            try requireData("crm.messages.retry")
            let id = try args.integer(0)
            _ = try permit(.update, "message")
            let record = try kernel { try write { try Messages.retry(id, in: $0) } }
            return [LuaBridge.table(record)]
        }
    }
}

/// Reading `crm.messages.send`'s table.
enum MessageLua {
    static let keys: Set<String> = ["channel", "to", "subject", "body", "record", "key", "source"]

    /// The message a Lua table describes; an unknown key or a wrong type is an error naming it.
    static func outgoing(_ t: LuaTable) throws(LuaError) -> OutgoingMessage {
        for key in t.fields.keys where !keys.contains(key) {
            throw LuaError.script("crm.messages.send: unknown key '\(key)' (known: \(keys.sorted().joined(separator: ", ")))")
        }
        func text(_ key: String, required: Bool) throws(LuaError) -> String? {
            switch t[key] {
            case .string(let s): return s
            case .nil where !required: return nil
            case .nil: throw LuaError.script("crm.messages.send: '\(key)' is required")
            default: throw LuaError.script("crm.messages.send: '\(key)' must be a string")
            }
        }
        let channelName = try text("channel", required: true)!
        guard let channel = MessageChannel(rawValue: channelName) else {
            throw LuaError.script("crm.messages.send: channel must be 'email' or 'sms', got '\(channelName)'")
        }
        var message = OutgoingMessage(channel: channel, to: try text("to", required: true)!, subject: try text("subject", required: false),
                                      body: try text("body", required: true)!, key: try text("key", required: false),
                                      source: try text("source", required: false))
        switch t["record"] {
        case .nil: break
        case .table(let r):
            guard case .string(let entity) = r["entity"], let id = r["id"].integerValue else {
                throw LuaError.script("crm.messages.send: record must be {entity = 'name', id = n}")
            }
            message.entity = entity
            message.recordID = id
        default: throw LuaError.script("crm.messages.send: record must be {entity = 'name', id = n}")
        }
        return message
    }
}
