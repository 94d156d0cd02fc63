import ArgumentParser
import CRMKernel
import Foundation

/// The version printed by `crm version` and written into backups.
public enum CRMVersion {
    /// The release number.
    public static let string = "0.1.0"
}

/// `--workspace DIR`, shared by every command.
public struct WorkspaceOptions: ParsableArguments {
    @Option(name: .long, help: "Workspace folder (default: $CRM_WORKSPACE or ./workspace).")
    public var workspace: String?

    /// Options as parsed from the command line.
    public init() {}

    /// The workspace folder chosen by option, environment or default.
    public var directory: URL { Self.directory(for: workspace) }

    /// The workspace folder for a `--workspace` value (nil: environment, then default).
    public static func directory(for option: String?) -> URL {
        let path = option ?? ProcessInfo.processInfo.environment["CRM_WORKSPACE"] ?? "./workspace"
        return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
    }
}

/// How a command group that lives outside the executable opens the workspace a command names:
/// with the built-in modules and the workspace's script pack, as `crm` opens it everywhere. The
/// built-in list (`CRMPlugins`) supplies the one implementation; the command groups of the shared
/// layers (import and export, backup, reports) are generic over it, so they need not know the
/// modules.
public protocol WorkspaceOpening {
    /// Opens the existing workspace in `directory` with its script pack applied.
    static func openWorkspace(_ directory: URL) throws -> Workspace
}

/// Runs a command body; any error becomes one line on stderr and a non-zero exit status.
public func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch let error as KernelError {
        FileHandle.standardError.write(Data(("error: " + error.description + "\n").utf8))
        throw ExitCode(crmExitCode(for: error.kind))
    } catch {
        FileHandle.standardError.write(Data(("error: \(error)\n").utf8))
        throw ExitCode(1)
    }
}

/// Exit codes by error kind, in one place.
public func crmExitCode(for kind: KernelError.Kind) -> Int32 {
    switch kind {
    case .validation: return 2
    case .notFound: return 3
    case .conflict: return 4
    case .forbidden: return 5
    case .scriptFailed: return 6
    case .invalidState: return 7
    case .storage: return 8
    case .staleVersion: return 4
    }
}

/// Prints a line to stdout.
public func say(_ text: String) {
    print(text)
}

/// Resolves `--as USER` to the acting user.
public enum ActingUserResolver {
    /// The user named `name`, or the system when no name was given.
    public static func resolve(_ name: String?, in ws: Workspace) throws -> ActingUser {
        guard let name else { return .system }
        guard let user = try ws.store.find(Query("user", filter: .eq("name", .text(name)), limit: 1)).records.first else {
            throw KernelError(.notFound, "unknown user '\(name)'")
        }
        return ActingUser(id: user.id, name: name, role: user["role"].textValue)
    }

    /// The access of `user` when `--as` was given (the kernel then applies it), else nil: the
    /// system acting for itself.
    public static func access(_ user: ActingUser, asked: Bool, in ws: Workspace) throws -> AccessGuard? {
        guard asked else { return nil }
        return try ws.store.read { try AccessGuard(user: user, schema: $0.schema, reader: $0) }
    }
}
