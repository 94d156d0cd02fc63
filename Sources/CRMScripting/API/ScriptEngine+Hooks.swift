import CRMKernel
import Foundation

extension ScriptEngine {
    /// Runs a Lua `before_save` hook on the record being saved, inside its transaction.
    ///
    /// The hook gets the record as a lazy record table (with `id` on update; see
    /// `LuaState.call(_:record:)`: a field is converted when the hook first reads it) and may
    /// change it in place or return a new table; `crm.reject(field, message)` or `return false, "reason"` refuses
    /// the write. Any Lua error (including the instruction, time or memory limit) fails the
    /// write. `hook` is the position of the hook among the pack's `before_save` declarations.
    func runBeforeSave(hook: Int, _ label: String, _ ctx: inout SaveContext) throws {
        try locked {
            transactions.append(ctx.tx)
            rejections.append([])
            defer {
                transactions.removeLast()
                rejections.removeLast()
            }
            let outcome: LuaRecordOutcome
            do {
                // The hook reads the values it asks for straight from the save context.
                let record = LuaBridge.SavedFields(values: ctx.values, id: ctx.id)
                outcome = try entering { try state.call(try beforeSaveFunction(hook), record: record) }
            } catch {
                throw KernelError(.scriptFailed, located(error, label), entity: ctx.entity)
            }
            for r in rejections.last! { ctx.reject(r.field, r.message) }
            switch outcome {
            case .rejected(let reason):
                ctx.reject("_record", reason ?? "rejected by \(label)")
            case .changed(let fields):
                guard ctx.operation != .delete else { return }
                for (name, lua) in fields where name != "id" {
                    do { ctx.values[name] = try LuaBridge.value(lua, field: name) } catch {
                        throw KernelError(.scriptFailed, "\(label): \(error)", entity: ctx.entity)
                    }
                }
            }
        }
    }

    /// Runs a Lua handler for an event delivered after commit. Its errors cannot undo the
    /// committed write: they are reported on the engine's output, and the handler's own writes
    /// are rolled back together.
    ///
    /// The handler runs inside a write transaction taken *before* the engine's lock, the same
    /// order as before-save hooks (which run inside a writer's transaction), so a handler on one
    /// thread and a hook on another can never wait on each other.
    func runHandler(handler: Int, _ label: String, _ event: Event) {
        let acting = locked { event.userID.flatMap { uid in uid == user.id ? user : ActingUser(id: uid, name: "user#\(uid)") } ?? user }
        do {
            try workspace.store.write(as: acting) { tx in
                try locked {
                    let saved = user
                    user = acting
                    transactions.append(tx)
                    defer {
                        user = saved
                        transactions.removeLast()
                    }
                    var info: [String: LuaValue] = ["name": .string(event.name), "entity": .string(event.entity),
                                                    "seq": .integer(event.seq), "at": .string(DateCoding.iso(event.at))]
                    if let id = event.recordID { info["id"] = .integer(id) }
                    if !event.previous.isEmpty {
                        var prev: [String: LuaValue] = [:]
                        for (k, v) in event.previous { prev[k] = LuaBridge.lua(v) }
                        info["previous"] = .table(LuaTable(fields: prev))
                    }
                    var record: [String: LuaValue] = [:]
                    for (k, v) in event.payload { record[k] = LuaBridge.lua(v) }
                    do {
                        _ = try entering {
                            try state.call(try handlerFunction(handler), [.table(LuaTable(fields: record)), .table(LuaTable(fields: info))])
                        }
                    } catch {
                        throw HandlerFailure(message: located(error, label))
                    }
                }
            }
        } catch let failure as HandlerFailure {
            output("error in \(label): \(failure.message)")
        } catch {
            output("error in \(label): \(error)")
        }
    }

    /// The function of `before_save` hook number `index` in the current state.
    private func beforeSaveFunction(_ index: Int) throws(LuaError) -> LuaFunctionRef {
        guard index < declarations.beforeSave.count else { throw Self.lostHook }
        return declarations.beforeSave[index].function
    }

    /// The function of event handler number `index` in the current state.
    private func handlerFunction(_ index: Int) throws(LuaError) -> LuaFunctionRef {
        guard index < declarations.handlers.count else { throw Self.lostHook }
        return declarations.handlers[index].function
    }

    private static let lostHook = LuaError.invalidOperation(
        message: "this hook was declared in the console and was dropped when the Lua state was rebuilt after a memory error")

    /// A Lua handler's error, carried out of its transaction so the transaction rolls back.
    private struct HandlerFailure: Error {
        var message: String
    }

    /// An error message with the script location when the error has none of its own.
    func located(_ error: any Error, _ label: String) -> String {
        if let lua = error as? LuaError, lua.chunk != nil { return lua.description }
        if let lua = error as? LuaError { return "\(label): \(lua.description)" }
        return "\(label): \(error)"
    }
}
