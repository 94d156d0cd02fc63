import Crypto
import Foundation

/// SHA-256 and HMAC-SHA-256 as lowercase hex (attachment checksums, token hashes, webhook
/// signatures), from swift-crypto.
public enum Digests {
    /// SHA-256 of `data`, hex.
    public static func sha256Hex(_ data: Data) -> String { hex(SHA256.hash(data: data)) }

    /// HMAC-SHA-256 of `data` with `key`, hex.
    public static func hmacSHA256Hex(_ data: Data, key: String) -> String {
        hex(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: Data(key.utf8))))
    }

    /// Lowercase hex of `bytes` (no `String(format:)`: token hashing is on every request's path).
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
