import CRMKernel
import Foundation

/// A workspace with its script pack loaded and applied: the entry point for the CLI, the
/// console and the server.
///
/// `reload()` is atomic: a new engine loads the pack and the workspace takes its contributions
/// only if everything succeeds; otherwise the last good pack stays in force.
public final class ScriptHost: @unchecked Sendable {
    /// The workspace.
    public let workspace: Workspace
    private let lock = NSLock()
    private var current: ScriptEngine

    /// The engine of the pack in force.
    public var engine: ScriptEngine { lock.withLock { current } }

    /// Opens `workspace`'s script pack acting as `user`, and applies it.
    /// Throws a `scriptFailed` kernel error listing every problem with file and line.
    public init(workspace: Workspace, user: ActingUser = .system) throws {
        self.workspace = workspace
        current = try Self.load(workspace, user: user, apply: true).get()
    }

    /// Loads the pack again and applies it if it is good; otherwise keeps the last good one and
    /// throws the problems.
    ///
    /// The new engine acts for the same user under the same limits: a console acting `--as` a
    /// user stays limited to that user's access after a reload.
    public func reload() throws {
        let old = engine
        let (user, limited) = old.locked { (old.user, old.access != nil) }
        let fresh = try Self.load(workspace, user: user, apply: true).get()
        if limited { try fresh.act(as: user.name) }
        lock.withLock { current = fresh }
    }

    /// Checks the pack without applying it: syntax, specs, unknown entities and fields, and
    /// schema changes the workspace would refuse. Returns every problem found.
    public static func check(_ workspace: Workspace) -> [ScriptProblem] {
        switch load(workspace, user: .system, apply: false) {
        case .success: return []
        case .failure(let e): return e.problems
        }
    }

    static func load(_ workspace: Workspace, user: ActingUser, apply: Bool) -> Result<ScriptEngine, ScriptPackError> {
        let dir = workspace.scriptsDirectory
        let engine: ScriptEngine
        do {
            let limits = ScriptPack.limits(workspace)
            engine = try ScriptEngine(workspace: workspace, user: user, limits: limits,
                                      budgetDefaults: ScriptPack.budgetDefaults(workspace, limits), packDirectory: dir)
        } catch {
            return .failure(ScriptPackError(problems: [ScriptProblem(file: nil, line: nil, message: "\(error)")]))
        }
        var problems: [ScriptProblem] = []
        for file in ScriptPack.files(in: dir) {
            let chunk = ScriptPack.chunkName(file)
            guard let data = FileManager.default.contents(atPath: file.path) else {
                problems.append(ScriptProblem(file: chunk, line: nil, message: "cannot read file"))
                continue
            }
            do {
                _ = try engine.run(source: String(decoding: data, as: UTF8.self), chunkName: chunk)
            } catch {
                problems.append(ScriptPack.problem(error, file: chunk))
                if !engine.locked({ engine.state.isUsable }) { break }
            }
        }
        // With file errors, still check what did load, so one run reports every problem.
        let applyNow = apply && problems.isEmpty && engine.locked { engine.state.isUsable }
        problems += engine.locked { applyContributions(engine, to: workspace, really: applyNow) }
        guard problems.isEmpty else { return .failure(ScriptPackError(problems: problems)) }
        engine.mode = .running
        return .success(engine)
    }

    /// Builds (and, if `really`, applies) the pack's contributions; returns the problems.
    private static func applyContributions(_ engine: ScriptEngine, to workspace: Workspace, really: Bool) -> [ScriptProblem] {
        let contributions = engine.contributions()
        do {
            let (schema, _) = try workspace.build(enabled: try workspace.enabledModules(), company: contributions)
            var eventProblems = engine.declarations.checkEvents(against: schema, dormant: try workspace.dormantEntities())
            eventProblems += try workspace.store.read { engine.declarations.checkApprovalUsers($0) }
            if !eventProblems.isEmpty { return eventProblems }
            if really { try workspace.applyCompany(contributions) } else { try workspace.store.checkMigration(schema) }
            return []
        } catch let error as KernelError {
            let loc = engine.declarations.location(of: error)
            return [ScriptProblem(file: loc?.file, line: loc?.line, message: error.description)]
        } catch {
            return [ScriptProblem(file: nil, line: nil, message: "\(error)")]
        }
    }
}
