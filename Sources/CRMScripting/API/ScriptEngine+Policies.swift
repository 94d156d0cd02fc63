import CRMKernel

extension ScriptEngine {
    /// `crm.policy(name, fn)` sets the implementation of a module's policy (a later call
    /// replaces it); `crm.policy(name)` returns the implementation in force, or nil, so a
    /// company can wrap the stock one.
    func registerPolicyFunctions() throws(LuaError) {
        try state.register("crm.policy") { [unowned self] args in
            let name = try args.string(0)
            try checkPolicyName(name)
            if args.count < 2 {
                guard let current = declarations.policies[name] else { return [.nil] }
                return [.function(current.function)]
            }
            let function = try args.function(1)
            let at = self.location()
            try declare { $0.policies[name] = (function, at) }
            return []
        }
    }

    /// Refuses a name no registered module declares as a policy.
    private func checkPolicyName(_ name: String) throws(LuaError) {
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        let known = workspace.registry.plugins.flatMap { p in p.policies.map { "\(p.manifest.id).\($0.name)" } }
        guard parts.count == 2, known.contains(name) else {
            let list = known.isEmpty ? "none" : known.sorted().joined(separator: ", ")
            throw LuaError.script("crm.policy: unknown policy '\(name)'; the modules declare: \(list)")
        }
    }

    /// Runs the Lua implementation of the policy `name` for `call`: inside the caller's
    /// transaction when there is one, else reading as `call.access`. Writes are refused
    /// while it runs. Any Lua error (limits included) is a `scriptFailed` error with the
    /// script location.
    func runPolicy(_ name: String, _ label: String, _ call: PolicyCall) throws -> ScriptValue {
        try locked {
            guard let function = declarations.policies[name]?.function else {
                throw KernelError(.scriptFailed, "no Lua implementation of policy \(name)")
            }
            if let tx = call.transaction { transactions.append(tx) } else { policyAccess.append(call.access) }
            policyDepth += 1
            defer {
                policyDepth -= 1
                if call.transaction != nil { transactions.removeLast() } else { policyAccess.removeLast() }
            }
            let results: [LuaValue]
            do {
                results = try entering { try state.call(function, [ScriptBridge.lua(call.argument)]) }
            } catch {
                throw KernelError(.scriptFailed, located(error, label))
            }
            do {
                return try ScriptBridge.script(results.first ?? .nil)
            } catch {
                throw KernelError(.scriptFailed, "\(label): the result cannot leave Lua: \(error)")
            }
        }
    }
}
