import Foundation

/// A decision a module leaves to the company's Lua pack: how a price is found, who gets a lead,
/// how a commission is computed. The module's stock pack implements it with
/// `crm.policy("<module>.<name>", function(args) ... end)`; a company's pack, loaded later,
/// replaces or wraps it. Swift code calls it with `WriteContext.policy` or `RecordStore.policy`.
///
/// A policy is a function of its argument and what it may read: it can read records (under the
/// caller's access) but never write; a write inside it is refused.
public struct ScriptPolicy: Sendable, Hashable {
    /// The name under the module's id (`price` → the policy `products.price`).
    public var name: String
    /// One line on what it decides, what it takes and what it returns.
    public var summary: String

    /// Declares a policy.
    public init(_ name: String, summary: String) {
        self.name = name
        self.summary = summary
    }
}

/// One call of a policy: its argument and where it reads.
public struct PolicyCall {
    /// The qualified name, `products.price`.
    public let name: String
    /// The argument (usually a table).
    public let argument: ScriptValue
    /// The write transaction the caller is in, if any (the policy reads through it).
    public let transaction: WriteContext?
    /// Whose access the policy's reads get outside a transaction.
    public let access: AccessGuard
}

/// The Lua function implementing a policy, as the scripting layer registers it.
public typealias PolicyImplementation = @Sendable (PolicyCall) throws -> ScriptValue

extension WriteContext {
    /// Calls the policy `name` (`products.price`) with `argument` inside this transaction.
    /// Throws `scriptFailed` when no pack implements it or its Lua code fails.
    public func policy(_ name: String, _ argument: ScriptValue) throws -> ScriptValue {
        try PolicyDispatch.run(hooks.policies[name], PolicyCall(name: name, argument: argument, transaction: self, access: access))
    }
}

extension RecordStore {
    /// Calls the policy `name` with `argument` outside any write transaction; its reads are
    /// limited to what `access` may see.
    public func policy(_ name: String, _ argument: ScriptValue, as access: AccessGuard) throws -> ScriptValue {
        try PolicyDispatch.run(hooks.policies[name], PolicyCall(name: name, argument: argument, transaction: nil, access: access))
    }
}

extension ScriptCall {
    /// Calls the policy `name` with `argument` in the caller's transaction when there is one,
    /// else reading as the caller (or unrestricted for a trusted caller).
    public func policy(_ name: String, _ argument: ScriptValue) throws -> ScriptValue {
        if let transaction { return try transaction.policy(name, argument) }
        return try store.policy(name, argument, as: access ?? .unrestricted)
    }
}

extension ScriptFunction {
    /// A script function `crm.<module>.<policy>` (and `POST /api/v1/actions/<module>/<policy>`)
    /// that calls the policy in force with its first argument: the usual way to make a policy
    /// callable from Lua, the console and the API.
    public static func calling(_ policy: ScriptPolicy, of module: String, access: FunctionRequirement) -> ScriptFunction {
        let qualified = "\(module).\(policy.name)"
        return ScriptFunction(policy.name, summary: policy.summary, effect: .read, access: access) { call in
            try call.policy(qualified, call[0])
        }
    }
}

/// Runs a policy implementation, or says that none is registered.
enum PolicyDispatch {
    static func run(_ implementation: PolicyImplementation?, _ call: PolicyCall) throws -> ScriptValue {
        guard let implementation else {
            throw KernelError(.scriptFailed, "no Lua implementation of policy \(call.name): a script pack must call crm.policy(\"\(call.name)\", function(args) ... end)")
        }
        return try implementation(call)
    }
}
