/// Errors reported by `LuaState`.
public enum LuaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The source did not compile (or was precompiled bytecode).
    case syntax(chunk: String, line: Int?, message: String)
    /// A Lua error raised while running; `message` excludes the `file:line:` prefix.
    case runtime(message: String, chunk: String?, line: Int?, traceback: String?)
    /// The call (or the budget it drew from) used more than `budget` VM instructions;
    /// `chunk`/`line` say where the script was when it was stopped.
    case instructionLimitExceeded(budget: Int, chunk: String? = nil, line: Int? = nil)
    /// The call (or the budget it drew from) ran past its wall-clock limit of `seconds`.
    case timeLimitExceeded(seconds: Double, chunk: String? = nil, line: Int? = nil)
    /// The state exceeded `LuaLimits.memoryLimit` (it is then unusable), or a value
    /// pushed from Swift would have exceeded it (refused; the state stays usable).
    case memoryLimitExceeded(limit: Int)
    /// The state hit a memory error earlier (or failed to open) and must be replaced.
    case stateUnusable
    /// A value could not be converted (table nesting too deep or cyclic, function of another state).
    case conversion(message: String)
    /// The host used the API wrongly (bad path, registering after `lockGlobals()`, ...).
    case invalidOperation(message: String)

    /// `file.lua:12: message` when the location is known, otherwise the message.
    public var description: String {
        switch self {
        case .syntax(let chunk, let line, let message):
            return LuaError.located(chunk, line, message)
        case .runtime(let message, let chunk, let line, _):
            return LuaError.located(chunk, line, message)
        case .instructionLimitExceeded(let budget, let chunk, let line):
            return LuaError.located(chunk, line, "instruction limit exceeded (\(budget) instructions)")
        case .timeLimitExceeded(let seconds, let chunk, let line):
            return LuaError.located(chunk, line, "time limit exceeded (\(seconds) seconds)")
        case .memoryLimitExceeded(let limit):
            return "memory limit exceeded (\(limit) bytes)"
        case .stateUnusable:
            return "the Lua state is unusable after a memory error; create a new one"
        case .conversion(let message), .invalidOperation(let message):
            return message
        }
    }

    /// The chunk name where the error happened, if known.
    public var chunk: String? {
        switch self {
        case .syntax(let chunk, _, _): chunk
        case .runtime(_, let chunk, _, _): chunk
        case .instructionLimitExceeded(_, let chunk, _), .timeLimitExceeded(_, let chunk, _): chunk
        default: nil
        }
    }

    /// The line where the error happened, if known.
    public var line: Int? {
        switch self {
        case .syntax(_, let line, _): line
        case .runtime(_, _, let line, _): line
        case .instructionLimitExceeded(_, _, let line), .timeLimitExceeded(_, _, let line): line
        default: nil
        }
    }

    /// Builds a runtime error with no location, as Swift functions throw for
    /// argument problems; the runtime prefixes the Lua caller's `file:line:`.
    public static func script(_ message: String) -> LuaError {
        .runtime(message: message, chunk: nil, line: nil, traceback: nil)
    }

    static func located(_ chunk: String?, _ line: Int?, _ message: String) -> String {
        switch (chunk, line) {
        case (let c?, let l?): "\(c):\(l): \(message)"
        case (let c?, nil): "\(c): \(message)"
        default: message
        }
    }

    /// Splits `"chunk:12: text"` into its parts (first `:<digits>: ` wins).
    static func splitLocation(_ text: String) -> (chunk: String?, line: Int?, message: String) {
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: ":") {
                var j = i + 1
                var line = 0
                while j < bytes.count, bytes[j] >= 48, bytes[j] <= 57, j - i < 10 {
                    line = line * 10 + Int(bytes[j] - 48)
                    j += 1
                }
                if j > i + 1, j + 1 < bytes.count, bytes[j] == UInt8(ascii: ":"), bytes[j + 1] == UInt8(ascii: " ") {
                    let chunk = String(decoding: bytes[0..<i], as: UTF8.self)
                    let rest = String(decoding: bytes[(j + 2)...], as: UTF8.self)
                    return (chunk, line, rest)
                }
                if j > i + 1, j == bytes.count - 1, bytes[j] == UInt8(ascii: ":") {
                    return (String(decoding: bytes[0..<i], as: UTF8.self), line, "")
                }
            }
            i += 1
        }
        return (nil, nil, text)
    }
}
