/// A growing UTF-8 buffer that text is built in one scalar at a time, then turned into a
/// `String` once. Appending to a `String`'s `unicodeScalars` re-checks the string's storage on
/// every scalar; this writes the bytes straight into an array.
public struct UTF8Bytes {
    private var bytes: [UInt8] = []

    /// An empty buffer with room for `capacity` bytes.
    public init(capacity: Int) { bytes.reserveCapacity(capacity) }

    /// Appends `scalar`, encoded as UTF-8.
    public mutating func append(_ scalar: Unicode.Scalar) {
        let v = scalar.value
        switch v {
        case ..<0x80:
            bytes.append(UInt8(v))
        case ..<0x800:
            bytes.append(UInt8(0xC0 | (v >> 6)))
            bytes.append(UInt8(0x80 | (v & 0x3F)))
        case ..<0x10000:
            bytes.append(UInt8(0xE0 | (v >> 12)))
            bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (v & 0x3F)))
        default:
            bytes.append(UInt8(0xF0 | (v >> 18)))
            bytes.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            bytes.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    /// Appends every scalar of `scalars`.
    public mutating func append(contentsOf scalars: some Sequence<Unicode.Scalar>) {
        for scalar in scalars { append(scalar) }
    }

    /// Whether nothing was appended.
    public var isEmpty: Bool { bytes.isEmpty }

    /// The text written so far (valid UTF-8 by construction).
    public var string: String { String(decoding: bytes, as: UTF8.self) }
}
