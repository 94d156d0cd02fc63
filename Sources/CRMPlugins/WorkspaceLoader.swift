import CRMCommandSupport
import CRMKernel
import CRMScripting
import Foundation

/// Opens the workspace a command names, with the built-in plugins and its script pack: the one
/// way every `crm` command opens a workspace (the shared layers' command groups through
/// `WorkspaceOpening`).
public enum WorkspaceLoader: WorkspaceOpening {
    /// Opens the existing workspace in `directory` with its script pack (`WorkspaceOpening`).
    public static func openWorkspace(_ directory: URL) throws -> Workspace {
        try open(directory: directory).workspace
    }

    /// Opens an existing workspace and applies its script pack as `user` (login name or system).
    public static func open(_ options: WorkspaceOptions, as userName: String? = nil) throws -> ScriptHost {
        try open(directory: options.directory, as: userName)
    }

    /// Opens the existing workspace in `directory` and applies its script pack as `user`.
    public static func open(directory: URL, as userName: String? = nil) throws -> ScriptHost {
        let ws = try Workspace(directory: directory, registry: try BuiltInPlugins.registry(), configure: false)
        return try host(ws, userName)
    }

    /// Opens the workspace without its script pack (for `crm scripts check`).
    public static func openWithoutScripts(_ options: WorkspaceOptions) throws -> Workspace {
        try Workspace(directory: options.directory, registry: try BuiltInPlugins.registry(), configure: false)
    }

    /// Creates a workspace (putting the kernel's stock pack and each enabled module's stock
    /// scripts into its `scripts/`) or opens an existing one as it is.
    public static func create(_ options: WorkspaceOptions) throws -> ScriptHost {
        let ws = try Workspace(directory: options.directory, registry: try BuiltInPlugins.registry(), create: true, configure: false)
        if !FileManager.default.fileExists(atPath: ws.scriptsDirectory.path) {
            try StockPack.install(into: ws.scriptsDirectory)
            try ws.installModuleScripts()
        }
        return try host(ws, nil)
    }

    private static func host(_ ws: Workspace, _ userName: String?) throws -> ScriptHost {
        do {
            let host = try ScriptHost(workspace: ws)
            if let userName { try host.engine.act(as: userName) }
            return host
        } catch let error as ScriptPackError {
            throw error.kernelError
        }
    }
}

/// The kernel's stock Lua pack shipped in the repository's `scripts/stock/` (the roles file);
/// the modules' stock scripts come from their own folders (`Plugin.stockScripts`).
public enum StockPack {
    /// The file that marks a folder as the kernel's stock pack.
    public static let marker = "00_roles.lua"

    /// Where the stock pack is: `$CRM_STOCK_PACK`, beside the executable (`share/crm/stock`),
    /// or the source tree this binary was built from.
    public static var directory: URL? {
        let fm = FileManager.default
        var candidates: [URL] = []
        if let env = ProcessInfo.processInfo.environment["CRM_STOCK_PACK"] { candidates.append(URL(fileURLWithPath: env)) }
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        candidates.append(exe.appendingPathComponent("../share/crm/stock").standardizedFileURL)
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/stock").standardizedFileURL)
        return candidates.first { fm.fileExists(atPath: $0.appendingPathComponent(marker).path) }
    }

    /// Copies the stock pack into `scripts/`, leaving files that are there alone.
    public static func install(into scripts: URL) throws {
        guard let source = directory else {
            throw KernelError(.notFound, "stock script pack not found (set CRM_STOCK_PACK to the repository's scripts/stock)")
        }
        try Workspace.copyScripts(from: source, into: scripts)
    }
}
