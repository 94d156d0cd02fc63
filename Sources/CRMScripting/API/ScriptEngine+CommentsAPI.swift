import CRMKernel

extension ScriptEngine {
    /// `crm.comment(entity, id, text)` posts a comment as the acting user (its `@names` notify the
    /// users they name who may see the record) and returns `{comment = …, mentioned = {ids},
    /// unknown = {names}, ambiguous = {names}, cannot_see = {names}}` (`cannot_see`: users who may
    /// not see the record, not notified); `crm.comments(entity, id)` returns the record's
    /// comments, oldest first. Both need the user to see the record.
    func registerCommentFunctions() throws(LuaError) {
        try state.register("crm.comment") { [unowned self] args in
            try requireData("crm.comment")
            let entity = try args.string(0), id = try args.integer(1), text = try args.string(2)
            let posted = try kernel { try write { try Comments.post(on: entity, id, body: text, in: $0) } }
            return [.table(LuaTable(fields: [
                "comment": LuaBridge.table(posted.comment),
                "mentioned": .table(LuaTable(array: posted.mentioned.map { LuaValue.integer($0) })),
                "unknown": .table(LuaTable(array: posted.unknown.map { LuaValue.string($0) })),
                "ambiguous": .table(LuaTable(array: posted.ambiguous.map { LuaValue.string($0) })),
                "cannot_see": .table(LuaTable(array: posted.cannotSee.map { LuaValue.string($0) })),
            ]))]
        }
        try state.register("crm.comments") { [unowned self] args in
            try requireData("crm.comments")
            let entity = try args.string(0), id = try args.integer(1)
            let list = try kernel { try read { try Comments.list(on: entity, id, in: $0) } }
            return [.table(LuaTable(array: list.map(LuaBridge.table)))]
        }
    }
}
