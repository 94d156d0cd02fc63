import CRMKernel

extension ScriptEngine {
    /// Event suffixes `crm.on` accepts besides domain events.
    static let recordEvents: Set<String> = ["before_save", "after_create", "after_update", "after_delete"]

    /// `crm.on(event, fn)` and `crm.reject(field, message)`.
    func registerRuleFunctions() throws(LuaError) {
        try state.register("crm.on") { [unowned self] args in
            let event = try args.string(0), function = try args.function(1)
            let parts = event.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw LuaError.script("crm.on: event must be \"<entity>.<when>\", e.g. \"customer.before_save\" (got '\(event)')")
            }
            let loc = self.location()
            if parts[1] == "before_save" {
                try declare { $0.beforeSave.append((parts[0], function, loc)) }
            } else {
                if parts[1].hasPrefix("before_") {
                    throw LuaError.script("crm.on: unknown event '\(event)'; before hooks are '<entity>.before_save'")
                }
                try declare { $0.handlers.append((event, function, loc)) }
            }
            return []
        }
        try state.register("crm.reject") { [unowned self] args in
            let field = try args.string(0), message = try args.string(1)
            guard !rejections.isEmpty else {
                throw LuaError.script("crm.reject can only be called inside a before_save hook")
            }
            rejections[rejections.count - 1].append(FieldError(field: field, message: message))
            return []
        }
    }
}
