import Foundation
import Testing

/// Runs the built `crm` binary against a temporary workspace.
struct CRMProcess {
    /// What a run printed and how it ended.
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The temporary folder holding the workspace and any files a test writes.
    let root: URL
    /// The workspace folder.
    var workspace: URL { root.appendingPathComponent("ws") }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("crm-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    /// Removes the temporary folder.
    func cleanUp() {
        try? FileManager.default.removeItem(at: root)
    }

    /// The path of a built executable beside the test bundle (`crm`, `crm-bench`).
    static func binary(_ name: String) throws -> URL {
        var dir = Bundle.main.bundleURL
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        let fromArgs = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for base in [fromArgs, fromArgs.deletingLastPathComponent()] {
            let candidate = base.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw BinaryMissing(name: name)
    }

    struct BinaryMissing: Error, CustomStringConvertible {
        var name: String
        var description: String { "built executable '\(name)' not found beside the test bundle; build with `swift build --build-tests`" }
    }

    /// Runs `crm ARGS --workspace <tmp>` (unless `workspace` is false) with optional stdin.
    @discardableResult
    func run(_ args: [String], workspace useWorkspace: Bool = true, stdin: String? = nil, environment: [String: String] = [:]) throws -> Output {
        let process = Process()
        process.executableURL = try Self.binary("crm")
        process.arguments = args + (useWorkspace ? ["--workspace", workspace.path] : [])
        process.currentDirectoryURL = root
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Writes a file under the temporary folder and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        let url = root.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}
