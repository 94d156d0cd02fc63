import Foundation

/// The Lua scripts a module ships in its folder (`Plugins/Customers/Scripts/`), declared in
/// Package.swift as a resource (`resources: [.copy("Scripts")]`).
///
/// The folder is found without `Bundle.module`, whose generated accessor stops the process when
/// the resource bundle is neither beside the executable nor in the build folder it was built in
/// (a copied binary whose build folder is gone). Looked for, in order: `$CRM_MODULE_SCRIPTS/<module>`,
/// the SwiftPM resource bundle beside the executable (`crm_CRMCustomers.resources/Scripts`, which
/// an installation copies with the binary), the same under `../share/crm/`, and the source folder
/// the binary was built from.
public struct StockScripts: Sendable, Hashable {
    /// The resource bundle's name without `.resources` (`crm_CRMCustomers`: package `_` target).
    public var bundle: String
    /// The copied folder inside the bundle (`Scripts`).
    public var folder: String
    /// The same folder in the source tree.
    public var sourceDirectory: URL

    /// Declares the scripts of target `target` in folder `folder` beside the calling file.
    public init(target: String, folder: String = "Scripts", sourceFile: String = #filePath) {
        bundle = "crm_" + target
        self.folder = folder
        sourceDirectory = URL(fileURLWithPath: sourceFile).deletingLastPathComponent().appendingPathComponent(folder)
    }

    /// The places looked at for module `module`'s scripts, in order.
    public func candidates(module: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                           executable: URL = URL(fileURLWithPath: CommandLine.arguments[0])) -> [URL] {
        var list: [URL] = []
        if let root = environment["CRM_MODULE_SCRIPTS"], !root.isEmpty {
            list.append(URL(fileURLWithPath: root).appendingPathComponent(module))
        }
        let exeDir = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        for base in [exeDir, Bundle.main.bundleURL, exeDir.appendingPathComponent("../share/crm").standardizedFileURL] {
            list.append(base.appendingPathComponent("\(bundle).resources").appendingPathComponent(folder))
        }
        list.append(sourceDirectory)
        return list
    }

    /// The first folder among `candidates` that exists, or nil.
    public func locate(module: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                       executable: URL = URL(fileURLWithPath: CommandLine.arguments[0])) -> URL? {
        var isDirectory: ObjCBool = false
        return candidates(module: module, environment: environment, executable: executable).first {
            FileManager.default.fileExists(atPath: $0.path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }
}

extension Workspace {
    /// Copies into `scripts/` every file of `source` (sub-folders included) that is not there
    /// yet; a file the company already has, changed or not, is left alone. Returns the relative
    /// paths copied.
    @discardableResult
    public static func copyScripts(from source: URL, into scripts: URL) throws -> [String] {
        let fm = FileManager.default
        try fm.createDirectory(at: scripts, withIntermediateDirectories: true)
        var copied: [String] = []
        let base = source.standardizedFileURL.resolvingSymlinksInPath().path
        guard let items = fm.enumerator(at: source, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        for case let url as URL in items {
            let path = url.standardizedFileURL.resolvingSymlinksInPath().path
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                  path.hasPrefix(base + "/") else { continue }
            let relative = String(path.dropFirst(base.count + 1))
            let target = scripts.appendingPathComponent(relative)
            if fm.fileExists(atPath: target.path) { continue }
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try fm.copyItem(at: url, to: target)
            copied.append(relative)
        }
        return copied.sorted()
    }

    /// Copies the stock scripts of `modules` (default: the enabled ones) into `scripts/`, never
    /// replacing a file that is there. A module enabled later gets its scripts this way from
    /// `crm modules enable`. Throws when a module declares scripts that cannot be found.
    @discardableResult
    public func installModuleScripts(_ modules: [String]? = nil) throws -> [String] {
        let ids = try modules ?? enabledModules()
        var copied: [String] = []
        for plugin in registry.plugins where ids.contains(plugin.manifest.id) {
            guard let scripts = plugin.stockScripts else { continue }
            guard let folder = scripts.locate(module: plugin.manifest.id) else {
                throw KernelError(.notFound, "the stock scripts of module \(plugin.manifest.id) were not found (looked in: "
                                  + scripts.candidates(module: plugin.manifest.id).map(\.path).joined(separator: ", ") + ")")
            }
            copied += try Self.copyScripts(from: folder, into: scriptsDirectory)
        }
        return copied
    }
}
