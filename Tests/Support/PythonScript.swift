import Foundation

/// Runs a Python script (openpyxl, installed by `scripts/install-deps`) to make or read real
/// files such as workbooks, independent of the code under test.
public enum PythonScript {
    /// python3 exited with a failure; the description holds its stderr.
    public struct Failed: Error, CustomStringConvertible {
        /// What python3 wrote to stderr.
        public var description: String
    }

    /// Runs `script` with `args` (`sys.argv[1...]`); returns stdout, throws with stderr on failure.
    @discardableResult
    public static func run(_ script: String, _ args: [String] = []) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + args
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failed(description: "python3 failed: " + String(decoding: errData, as: UTF8.self))
        }
        return String(decoding: outData, as: UTF8.self)
    }

    /// A fresh temporary folder.
    public static func tempDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("crm-xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
