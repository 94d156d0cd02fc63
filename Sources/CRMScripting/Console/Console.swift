import CRMKernel
import Foundation

/// The operator console: evaluates Lua over live data with the `crm` API, plus dot-commands,
/// and formats what comes back (records as aligned tables).
///
/// Declarations made here (`crm.field`, `crm.entity`, `crm.stages`, `crm.on` ...) take effect at
/// once for this session; add them to the workspace's `scripts/` to keep them.
public final class Console {
    /// What evaluating one chunk produced.
    public struct Result: Sendable {
        /// Text to show (results, or nothing).
        public var output: String
        /// The error, if the chunk failed.
        public var error: String?
    }

    private let host: ScriptHost
    private var engine: ScriptEngine { host.engine }
    private var chunkCounter = 0

    /// Creates a console over a loaded workspace; `print` and `crm.log` go to `output`.
    public init(host: ScriptHost, output: @escaping (String) -> Void) {
        self.host = host
        host.engine.mode = .console
        host.engine.output = output
    }

    /// Whether `source` is an unfinished chunk (more lines should follow).
    public func isIncomplete(_ source: String) -> Bool {
        if source.trimmingCharacters(in: .whitespaces).hasPrefix(".") { return false }
        // A bare expression (`crm.get("customer", 1).name`) is no statement, and Lua reports
        // it as ending early; it is complete when its `return` form compiles.
        return engine.locked { engine.state.isIncomplete(source: source) && !engine.state.compiles("return " + source) }
    }

    /// Evaluates a chunk (an expression is printed; a statement runs) or a dot-command.
    public func evaluate(_ source: String) -> Result {
        let trimmed = source.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return Result(output: "", error: nil) }
        if trimmed.hasPrefix(".") { return command(trimmed) }
        chunkCounter += 1
        do {
            // One script budget for the line; a state that hit its memory limit is rebuilt by the next call.
            let engine = self.engine
            let values = try engine.withBudget { try engine.evaluate(line: source, chunkName: "=console:\(chunkCounter)") }
            return Result(output: ConsoleFormatter.results(values, schema: host.workspace.store.schema), error: nil)
        } catch {
            return Result(output: "", error: ScriptPack.problem(error, file: "console").description)
        }
    }

    /// Runs a whole file (for `crm run`); errors carry the file name and line.
    public func runFile(_ url: URL) -> Result {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return Result(output: "", error: "\(url.path): cannot read file")
        }
        do {
            let engine = self.engine
            let values = try engine.withBudget { try engine.run(source: String(decoding: data, as: UTF8.self), chunkName: "@" + url.path) }
            return Result(output: ConsoleFormatter.results(values, schema: host.workspace.store.schema), error: nil)
        } catch {
            return Result(output: "", error: ScriptPack.problem(error, file: url.path).description)
        }
    }

    private func command(_ line: String) -> Result {
        let parts = line.split(separator: " ").map(String.init)
        let schema = host.workspace.store.schema
        switch parts[0] {
        case ".help":
            return Result(output: Self.help + moduleHelp(), error: nil)
        case ".entities":
            let rows = schema.entityNames.map { n in [n, schema.entities[n]!.definition.label.zh, schema.entities[n]!.definition.origin] }
            return Result(output: ConsoleFormatter.table(["entity", "label", "from"], rows), error: nil)
        case ".fields":
            guard parts.count > 1, let e = schema.entities[parts[1]] else { return Result(output: "", error: "usage: .fields ENTITY (see .entities)") }
            let rows = e.fields.map { f in [f.name, f.type.rawValue, f.label.zh, f.required ? "required" : "",
                                            f.options.map(\.value).joined(separator: ","), f.origin] }
            return Result(output: ConsoleFormatter.table(["field", "type", "label", "", "options", "from"], rows), error: nil)
        case ".reload":
            do {
                try host.reload()
                host.engine.mode = .console
                return Result(output: "script pack reloaded", error: nil)
            } catch { return Result(output: "", error: "\(error)") }
        case ".user":
            return Result(output: "\(engine.user.name) (\(engine.user.role ?? "no role"))", error: nil)
        default:
            return Result(output: "", error: "unknown command \(parts[0]) (try .help)")
        }
    }

    /// The functions and settings of the enabled modules, one line each.
    private func moduleHelp() -> String {
        let enabled = Set((try? host.workspace.enabledModules()) ?? [])
        var lines: [String] = []
        for plugin in host.workspace.registry.plugins where enabled.contains(plugin.manifest.id) {
            for f in plugin.scriptFunctions { lines.append("  " + f.summary) }
            for s in plugin.settings { lines.append("  " + s.summary + "   (script pack setting)") }
        }
        return lines.isEmpty ? "" : "\nModule functions:\n" + lines.joined(separator: "\n")
    }

    static let help = """
    Lua over live data. Expressions are printed; records show as tables.
      crm.find("customer", {city = "深圳"}, {sort = "-created_at", limit = 10})
      crm.count("customer", {grade = {["in"] = {"A", "B"}}})
      crm.create("customer", {name = "…", phone = "138…", industry = "制造业", source = "展会推荐"})
      crm.update("customer", 12, {grade = "A"})      crm.get("customer", 12)      crm.delete("task", 3)
      crm.field("customer", "wechat", {type = "text", label = "微信"})
      crm.entity("property_unit", {label = "房源", fields = {{name = "unit_no", type = "text", required = true}}})
      crm.stages / crm.form / crm.on / crm.reject / crm.history / crm.modules / crm.enable / crm.disable
    Commands: .help  .entities  .fields ENTITY  .reload  .user  .exit
    The full Lua API reference is docs/lua-api.md.
    """
}
