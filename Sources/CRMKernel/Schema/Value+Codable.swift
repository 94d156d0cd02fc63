import Foundation

extension Value: Codable {
    private enum TaggedKey: String, CodingKey { case decimal, datetime }

    /// Encodes as natural JSON; decimals and datetimes as one-key objects so they round-trip.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .decimal(let d):
            var c = encoder.container(keyedBy: TaggedKey.self)
            try c.encode(d.plainString, forKey: .decimal)
        case .datetime(let d):
            var c = encoder.container(keyedBy: TaggedKey.self)
            try c.encode(DateCoding.iso(d), forKey: .datetime)
        default:
            var c = encoder.singleValueContainer()
            switch self {
            case .null: try c.encodeNil()
            case .text(let s): try c.encode(s)
            case .integer(let i): try c.encode(i)
            case .bool(let b): try c.encode(b)
            case .list(let l): try c.encode(l)
            case .real(let r): try c.encode(r)
            case .decimal, .datetime: break
            }
        }
    }

    /// Decodes what `encode(to:)` wrote.
    public init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: TaggedKey.self) {
            if let s = try keyed.decodeIfPresent(String.self, forKey: .decimal), let d = Decimal(string: s) {
                self = .decimal(d); return
            }
            if let s = try keyed.decodeIfPresent(String.self, forKey: .datetime), let d = DateCoding.parseInstant(s) {
                self = .datetime(d); return
            }
        }
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .integer(i) }
        else if let r = try? c.decode(Double.self) { self = .real(r) }
        else if let s = try? c.decode(String.self) { self = .text(s) }
        else { self = .list(try c.decode([String].self)) }
    }
}
