extension PluginRegistry {
    /// Refuses, naming the module and the name, what a plugin declares that cannot work: a grant
    /// on an entity no module (nor the kernel) declares or to a role that is not a stock role, a
    /// function whose access names an undeclared entity or whose name repeats, a policy name that repeats, a job with an
    /// impossible schedule or an id used twice, a demo user with a role that is not a stock role.
    static func checkContributions(_ plugins: [any Plugin]) throws(KernelError) {
        var declared = Set(KernelEntities.declarations.entities.map(\.name))
        for p in plugins { declared.formUnion(p.schema.entities.map(\.name)) }
        let roles = StockRoles.ids
        var jobs: [String: String] = [:]
        for p in plugins {
            let module = p.manifest.id
            for grant in p.grants {
                guard declared.contains(grant.entity) else {
                    throw KernelError(.invalidState, "module \(module) grants \(grant.role) access to entity '\(grant.entity)', which no module declares",
                                      entity: grant.entity)
                }
                guard roles.contains(grant.role) else {
                    throw KernelError(.invalidState, "module \(module) grants access to \(grant.entity) to unknown role '\(grant.role)' (stock roles: \(roles.sorted().joined(separator: ", ")))")
                }
            }
            var names = Set<String>()
            for function in p.scriptFunctions {
                guard ReservedFieldNames.isValidIdentifier(function.name) else {
                    throw KernelError(.validation, "module \(module): invalid function name '\(function.name)'")
                }
                guard names.insert(function.name).inserted else {
                    throw KernelError(.conflict, "module \(module) declares function \(function.name) twice")
                }
                if case .access(let access) = function.requirement, !declared.contains(access.entity) {
                    throw KernelError(.invalidState, "module \(module) function \(function.name): its access names entity '\(access.entity)', which no module declares; declare an action on an entity or .administrator")
                }
            }
            var policies = Set<String>()
            for policy in p.policies {
                guard ReservedFieldNames.isValidIdentifier(policy.name) else {
                    throw KernelError(.validation, "module \(module): invalid policy name '\(policy.name)'")
                }
                guard policies.insert(policy.name).inserted else {
                    throw KernelError(.conflict, "module \(module) declares policy \(policy.name) twice")
                }
            }
            for job in p.jobs {
                if let problem = job.schedule.problem {
                    throw KernelError(.validation, "module \(module) job \(job.id): \(problem)")
                }
                if let other = jobs.updateValue(module, forKey: job.id) {
                    throw KernelError(.conflict, "job \(job.id) is declared by modules \(other) and \(module)")
                }
            }
            for user in p.demoUsers where !roles.contains(user.role) {
                throw KernelError(.validation, "module \(module) demo user \(user.login): unknown role '\(user.role)'")
            }
        }
    }
}
