import CRMKernel
import Foundation

/// Writes JSON by hand into bytes: records are the hot path of every read, and this is several
/// times faster than building dictionaries for `JSONSerialization` or appending to a `String`.
///
/// Values are encoded by the kernel's `JSONBytes` (money as strings, datetimes as ISO 8601 UTC
/// strings), the same encoding `RecordStore.json` writes rows with.
public struct JSONWriter {
    /// The UTF-8 bytes so far.
    public internal(set) var bytes: [UInt8] = []

    /// Creates an empty writer.
    public init() { bytes.reserveCapacity(1024) }

    /// The JSON text so far.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Removes the last byte (to reopen an object just closed).
    public mutating func dropLast() { bytes.removeLast() }

    /// Appends a string literal.
    public mutating func string(_ s: String) { JSONBytes.appendString(s, to: &bytes) }

    /// Appends raw JSON text.
    public mutating func raw(_ s: String) { bytes.append(contentsOf: s.utf8) }

    /// Appends `{"data":[…]}`: each item written by `element`, separated by commas.
    mutating func dataList<S: Sequence>(_ items: S, _ element: (inout JSONWriter, S.Element) throws -> Void) rethrows {
        raw("{\"data\":[")
        var first = true
        for item in items {
            if !first { raw(",") }
            first = false
            try element(&self, item)
        }
        raw("]}")
    }

    /// Appends an integer's digits.
    mutating func integer(_ value: Int64) { JSONBytes.appendInteger(value, to: &bytes) }

    /// Appends a field value.
    public mutating func value(_ v: Value) { JSONBytes.append(v, to: &bytes) }

    /// Appends a record as an object: `id` first, then the entity's fields in order, leaving out
    /// `hidden` ones.
    public mutating func record(_ r: Record, _ entity: EntitySchema, hidden: Set<String> = []) {
        raw("{\"id\":")
        integer(r.id)
        for f in entity.fields where f.name != "id" && !hidden.contains(f.name) {
            raw(",\"")
            bytes.append(contentsOf: f.name.utf8)  // field names are identifiers: nothing to escape
            raw("\":")
            value(r[f.name])
        }
        bytes.append(0x7D)
    }

    /// Appends any script value (plugin function results).
    public mutating func script(_ v: ScriptValue, schema: Schema, hidden: (String) -> Set<String>) {
        switch v {
        case .value(let x): value(x)
        case .record(let r):
            if let e = schema.entities[r.entity] { record(r, e, hidden: hidden(r.entity)) } else { object(r.values.mapValues(ScriptValue.value), schema: schema, hidden: hidden) }
        case .list(let items):
            bytes.append(0x5B)
            for (i, item) in items.enumerated() {
                if i > 0 { bytes.append(0x2C) }
                script(item, schema: schema, hidden: hidden)
            }
            bytes.append(0x5D)
        case .table(let t): object(t, schema: schema, hidden: hidden)
        }
    }

    private mutating func object(_ t: [String: ScriptValue], schema: Schema, hidden: (String) -> Set<String>) {
        bytes.append(0x7B)
        for (i, key) in t.keys.sorted().enumerated() {
            if i > 0 { bytes.append(0x2C) }
            string(key)
            bytes.append(0x3A)
            script(t[key]!, schema: schema, hidden: hidden)
        }
        bytes.append(0x7D)
    }
}
