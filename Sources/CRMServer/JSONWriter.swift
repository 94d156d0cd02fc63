import CRMKernel
import Foundation

/// Writes JSON text by hand: records are the hot path of every read, and this is several times
/// faster than building dictionaries for `JSONSerialization`.
///
/// Money (decimals) is written as a string so no client reads it into a float; datetimes as
/// ISO 8601 UTC strings.
public struct JSONWriter {
    /// The text so far.
    public internal(set) var text = ""

    /// Creates an empty writer.
    public init() { text.reserveCapacity(512) }

    /// Appends a string literal.
    public mutating func string(_ s: String) {
        text.append("\"")
        var plain = true
        for u in s.utf8 where u < 0x20 || u == 0x22 || u == 0x5C { plain = false; break }
        if plain { text.append(s) } else {
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": text.append("\\\"")
                case "\\": text.append("\\\\")
                case "\n": text.append("\\n")
                case "\r": text.append("\\r")
                case "\t": text.append("\\t")
                case _ where scalar.value < 0x20: text.append(String(format: "\\u%04x", scalar.value))
                default: text.unicodeScalars.append(scalar)
                }
            }
        }
        text.append("\"")
    }

    /// Appends raw JSON text.
    public mutating func raw(_ s: String) { text.append(s) }

    /// Appends a field value.
    public mutating func value(_ v: Value) {
        switch v {
        case .null: text.append("null")
        case .text(let s): string(s)
        case .integer(let i): text.append(String(i))
        case .decimal(let d): string(d.plainString)
        case .bool(let b): text.append(b ? "true" : "false")
        case .datetime(let d): string(DateCoding.iso(d))
        case .real(let r): text.append(r.isFinite ? String(r) : "null")
        case .list(let l):
            text.append("[")
            for (i, s) in l.enumerated() {
                if i > 0 { text.append(",") }
                string(s)
            }
            text.append("]")
        }
    }

    /// Appends a record as an object: `id` first, then the entity's fields in order, leaving out
    /// `hidden` ones.
    public mutating func record(_ r: Record, _ entity: EntitySchema, hidden: Set<String> = []) {
        text.append("{\"id\":")
        text.append(String(r.id))
        for f in entity.fields where f.name != "id" && !hidden.contains(f.name) {
            text.append(",")
            string(f.name)
            text.append(":")
            value(r[f.name])
        }
        text.append("}")
    }

    /// Appends any script value (plugin function results).
    public mutating func script(_ v: ScriptValue, schema: Schema, hidden: (String) -> Set<String>) {
        switch v {
        case .value(let x): value(x)
        case .record(let r):
            if let e = schema.entities[r.entity] { record(r, e, hidden: hidden(r.entity)) } else { object(r.values.mapValues(ScriptValue.value), schema: schema, hidden: hidden) }
        case .list(let items):
            text.append("[")
            for (i, item) in items.enumerated() {
                if i > 0 { text.append(",") }
                script(item, schema: schema, hidden: hidden)
            }
            text.append("]")
        case .table(let t): object(t, schema: schema, hidden: hidden)
        }
    }

    private mutating func object(_ t: [String: ScriptValue], schema: Schema, hidden: (String) -> Set<String>) {
        text.append("{")
        for (i, key) in t.keys.sorted().enumerated() {
            if i > 0 { text.append(",") }
            string(key)
            text.append(":")
            script(t[key]!, schema: schema, hidden: hidden)
        }
        text.append("}")
    }
}
