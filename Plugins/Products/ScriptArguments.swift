import CRMKernel
import Foundation

/// Reading the arguments of `crm.products.*`: ids, quantities as decimal strings (or whole
/// numbers; never floats, which cannot hold 0.1 exactly), dates, money as integer fen.
enum ScriptArguments {
    /// The table argument at `index`, or a validation error naming the function.
    static func table(_ call: ScriptCall, _ index: Int, _ function: String) throws -> [String: ScriptValue] {
        guard let fields = call[index].fields else {
            throw KernelError(.validation, "crm.products.\(function) expects a table argument")
        }
        return fields
    }

    /// A record id (an integer, or a record), or nil when absent.
    static func id(_ value: ScriptValue?, field: String, entity: String) throws -> Int64? {
        switch value {
        case nil, .value(.null)?: return nil
        case .value(.integer(let id))?: return id
        case .record(let record)?: return record.id
        default: throw KernelError.invalid(entity, field: field, "expects a record id")
        }
    }

    /// A required record id.
    static func requiredID(_ value: ScriptValue?, field: String, entity: String) throws -> Int64 {
        guard let id = try id(value, field: field, entity: entity) else { throw KernelError.invalid(entity, field: field, "is required") }
        return id
    }

    /// A decimal from a string (`"2.5"`), an integer or a kernel decimal; floats are refused.
    static func decimal(_ value: ScriptValue?, field: String, entity: String) throws -> Decimal? {
        switch value {
        case nil, .value(.null)?: return nil
        case .value(.integer(let i))?: return Decimal(i)
        case .value(.decimal(let d))?: return d
        case .value(.text(let text))?:
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" }),
                  let d = Decimal(string: trimmed, locale: Locale(identifier: "en_US_POSIX")) else {
                throw KernelError.invalid(entity, field: field, "'\(text)' is not a number")
            }
            return d
        case .value(.real)?:
            throw KernelError.invalid(entity, field: field, "pass decimals as strings (\"2.5\"), not floating-point numbers")
        default:
            throw KernelError.invalid(entity, field: field, "expects a number or a decimal string")
        }
    }

    /// A text value, or nil.
    static func text(_ value: ScriptValue?) -> String? {
        guard let text = value?.text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        return text
    }

    /// A level as a table of decimal strings.
    static func level(_ level: StockLevel) -> ScriptValue {
        .table(["on_hand": .value(.text(level.onHand.plainString)), "reserved": .value(.text(level.reserved.plainString)),
                "available": .value(.text(level.available.plainString))])
    }
}
