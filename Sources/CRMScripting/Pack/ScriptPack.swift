import CRMKernel
import Foundation

/// A workspace's `scripts/` folder: `.lua` files loaded in name order; files in sub-folders
/// are loaded only through `require` (`require "lib.phone"` → `scripts/lib/phone.lua`).
enum ScriptPack {
    /// The top-level `.lua` files, sorted by name.
    static func files(in directory: URL) -> [URL] {
        let items = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: [.isRegularFileKey])) ?? []
        return items.filter { $0.pathExtension == "lua" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// The chunk name of a pack file, as errors show it: `scripts/10_fields.lua`.
    static func chunkName(_ file: URL) -> String { "scripts/" + file.lastPathComponent }

    /// Source and chunk name of a module for `require`, only inside the pack folder.
    static func moduleSource(_ name: String, in directory: URL) -> (source: String, chunkName: String)? {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.allSatisfy({ p in !p.isEmpty && p.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" } }) else { return nil }
        let relative = parts.joined(separator: "/") + ".lua"
        let url = directory.appendingPathComponent(relative)
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return (String(decoding: data, as: UTF8.self), "scripts/" + relative)
    }

    /// The Lua limits configured for a workspace (settings `lua.instruction_budget`,
    /// `lua.time_limit_seconds`, `lua.memory_limit_mb`), defaults otherwise.
    static func limits(_ workspace: Workspace) -> LuaLimits {
        var limits = LuaLimits()
        if let text = try? workspace.store.setting("lua.instruction_budget"), let n = Int(text), n > 0 { limits.instructionBudget = n }
        if let text = try? workspace.store.setting("lua.time_limit_seconds"), let n = Double(text), n > 0 { limits.timeLimit = n }
        if let text = try? workspace.store.setting("lua.memory_limit_mb"), let n = Int(text), n > 0 { limits.memoryLimit = n << 20 }
        return limits
    }

    /// The budget defaults configured for a workspace: requests get `limits`' per-call numbers,
    /// bulk writes `lua.bulk_instruction_budget` and `lua.bulk_time_limit_seconds` when set.
    static func budgetDefaults(_ workspace: Workspace, _ limits: LuaLimits) -> ScriptBudgetDefaults {
        let instructions = (try? workspace.store.setting("lua.bulk_instruction_budget")).flatMap { Int($0) }
        let seconds = (try? workspace.store.setting("lua.bulk_time_limit_seconds")).flatMap { Double($0) }
        return ScriptBudgetDefaults(limits, bulkInstructions: instructions.flatMap { $0 > 0 ? $0 : nil },
                                    bulkSeconds: seconds.flatMap { $0 > 0 ? $0 : nil })
    }

    /// A problem from a Lua error: its chunk and line when it has them.
    static func problem(_ error: any Error, file: String) -> ScriptProblem {
        if let lua = error as? LuaError {
            let message: String
            switch lua {
            case .syntax(_, _, let m): message = "syntax error: " + m
            case .runtime(let m, _, _, _): message = m
            default: message = lua.description
            }
            return ScriptProblem(file: lua.chunk ?? file, line: lua.line, message: message)
        }
        return ScriptProblem(file: file, line: nil, message: String(describing: error))
    }
}
