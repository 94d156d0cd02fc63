import CRMKernel

extension ScriptEngine {
    /// `crm.sequence(name, pattern)` (pack) and `crm.next_number(name)` (hooks, console).
    func registerSequenceFunctions() throws(LuaError) {
        try state.register("crm.sequence") { [unowned self] args in
            let name = try args.string(0), pattern = try args.string(1)
            let known = Set(workspace.registry.plugins.flatMap { $0.sequences.map(\.name) })
            guard known.contains(name) else {
                throw LuaError.script("crm.sequence: unknown sequence '\(name)'" +
                                      (known.isEmpty ? " (no module declares one)" : " (declared: \(known.sorted().joined(separator: ", ")))"))
            }
            do throws(KernelError) { _ = try SequencePattern(pattern) } catch {
                throw LuaError.script("crm.sequence: \(error.message)")
            }
            let at = self.location()
            try declare { $0.sequences[name] = (pattern, at) }
            return []
        }
        try state.register("crm.next_number") { [unowned self] args in
            try requireData("crm.next_number")
            let name = try args.string(0)
            let number = try kernel { try write { try $0.nextNumber(name) } }
            return [.string(number)]
        }
    }
}
