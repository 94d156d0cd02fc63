import CRMKernel
import Hummingbird

/// The per-request context: Hummingbird's core storage plus the signed-in principal.
public struct CRMRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Who is calling, once authenticated.
    public var principal: Principal?
    /// The client's IP address (rate limits of public routes are counted per address).
    public var clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Bodies are read with the server's own limit (see `ServerConfiguration.maxBodyBytes`).
    public var maxUploadSize: Int { 64 << 20 }
}

/// A signed-in caller: the acting user, what they may do, and the token they used.
public struct Principal: Sendable {
    /// The user as the kernel stamps writes.
    public var user: ActingUser
    /// Their permissions.
    public var access: AccessGuard
    /// True until an initial password is changed.
    public var mustChangePassword: Bool
    /// The stored hash of the bearer token (to sign out).
    public var tokenHash: String
}
