import Foundation
import GRDB

extension OutboxEntry {
    /// Reads a row of `_outbox`.
    init(row: Row) {
        self.init(seq: row["seq"], event: row["event"], entity: row["entity"], recordID: row["record_id"],
                  userID: row["user_id"], at: row["at"], payload: row["payload"])
    }

    /// The entry as the event handlers receive it. The payload comes back from its JSON text
    /// (`{"record": {...}, "previous": {...}}`) as plain values: text, integers, booleans, lists
    /// of text, real numbers; datetimes and decimals are text (as they were written).
    public func decoded() -> Event {
        let decoded = (try? JSONDecoder().decode(StoredPayload.self, from: Data(payload.utf8))) ?? StoredPayload()
        return Event(seq: seq, name: event, entity: entity, recordID: recordID, userID: userID,
                     at: DateCoding.parseInstant(at) ?? Date(timeIntervalSince1970: 0),
                     payload: decoded.record.mapValues(\.value), previous: decoded.previous.mapValues(\.value))
    }
}

/// The JSON shape of an outbox payload.
private struct StoredPayload: Decodable {
    var record: [String: PlainValue] = [:]
    var previous: [String: PlainValue] = [:]

    init() {}

    enum CodingKeys: String, CodingKey { case record, previous }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        record = try c.decodeIfPresent([String: PlainValue].self, forKey: .record) ?? [:]
        previous = try c.decodeIfPresent([String: PlainValue].self, forKey: .previous) ?? [:]
    }
}

/// One JSON value read back as a `Value`; nested objects become null.
private struct PlainValue: Decodable {
    var value: Value

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { value = .null }
        else if let b = try? c.decode(Bool.self) { value = .bool(b) }
        else if let i = try? c.decode(Int64.self) { value = .integer(i) }
        else if let d = try? c.decode(Double.self) { value = .real(d) }
        else if let s = try? c.decode(String.self) { value = .text(s) }
        else if let l = try? c.decode([String].self) { value = .list(l) }
        else { value = .null }
    }
}
