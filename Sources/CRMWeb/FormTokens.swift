import CRMKernel
import Foundation
import Synchronization

/// One-time tokens carried by every create form, so a form posted twice (a double click, a
/// reload after the post) creates one record: the first post claims the token, a second one is
/// sent to what the first made.
public final class FormTokens: Sendable {
    enum State: Sendable { case pending, done(String) }
    private let used = Mutex<[String: (state: State, at: Date)]>([:])
    private let keep: TimeInterval = 24 * 3600

    /// An empty set of used tokens.
    public init() {}

    /// A new token for a form.
    public func issue() -> String {
        var rng = SystemRandomNumberGenerator()
        return Digests.hex((0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) })
    }

    /// The outcome of claiming a token.
    public enum Claim: Equatable, Sendable {
        /// First use: go ahead, then `finish` or `release`.
        case claimed
        /// Already used, and the first post led to this address.
        case done(String)
        /// Already being handled by another request.
        case pending
    }

    /// Claims `token` for one post.
    public func claim(_ token: String) -> Claim {
        let now = Date()
        return used.withLock { map in
            if map.count > 50_000 { map = map.filter { now.timeIntervalSince($0.value.at) < keep } }
            switch map[token]?.state {
            case .pending?: return .pending
            case .done(let location)?: return .done(location)
            case nil:
                map[token] = (.pending, now)
                return .claimed
            }
        }
    }

    /// Marks a claimed token as used, the post having led to `location`.
    public func finish(_ token: String, location: String) {
        used.withLock { $0[token] = (.done(location), Date()) }
    }

    /// Gives a claimed token back (the post failed, the corrected form may be sent again).
    public func release(_ token: String) {
        used.withLock { _ = $0.removeValue(forKey: token) }
    }
}
