import Foundation

/// A Python helper server started for one test and killed when released: a real SMTP server
/// (`PythonTestServer.smtp`, aiosmtpd) or a small HTTP SMS gateway (`smsGateway`), on
/// 127.0.0.1, each writing what it received into its own temporary folder as `msg-N.<ext>`.
///
/// The script gets the folder as `sys.argv[1]` (then `arguments`) and announces itself by
/// writing its port into `<folder>/ready`.
public final class PythonTestServer: @unchecked Sendable {
    /// The folder the server writes what it received into.
    public let folder: URL
    /// The port it listens on, on 127.0.0.1.
    public let port: Int
    private let process = Process()

    /// The server did not write its port within 20 seconds.
    public struct DidNotStart: Error, CustomStringConvertible {
        /// Which script.
        public var description: String
    }

    /// Starts `script` with the folder (and `arguments`) and waits for it to write its port.
    public init(script: String, arguments: [String] = [], prefix: String = "crm-test-server") throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("server.py")
        try script.write(to: file, atomically: true, encoding: .utf8)
        // Debian's python3 has python3-aiosmtpd; another python3 earlier on PATH may not.
        let debian = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
        process.executableURL = URL(fileURLWithPath: debian ? "/usr/bin/python3" : "/usr/bin/env")
        process.arguments = (debian ? [] : ["python3"]) + [file.path, folder.path] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let ready = folder.appendingPathComponent("ready")
        guard eventually(within: 20, { FileManager.default.fileExists(atPath: ready.path) }),
              let text = try? String(contentsOf: ready, encoding: .utf8), let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            ChildProcess.stop(process, grace: 0)
            try? FileManager.default.removeItem(at: folder)
            throw DidNotStart(description: "\(prefix): the Python test server did not start (is python3-aiosmtpd installed?)")
        }
        self.port = port
    }

    deinit {
        ChildProcess.stop(process, grace: 0)
        try? FileManager.default.removeItem(at: folder)
    }

    /// Files named `msg-N.<ext>` received so far, in order of N.
    public func received(_ ext: String) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix("." + ext) && $0.hasPrefix("msg-") }
            .sorted { Int($0.dropFirst(4).prefix(while: \.isNumber)) ?? 0 < Int($1.dropFirst(4).prefix(while: \.isNumber)) ?? 0 }
            .map { folder.appendingPathComponent($0) }
    }

    /// The e-mails (`msg-N.eml`, the DATA as received) an SMTP server got so far, in order.
    public func mails() -> [URL] { received("eml") }

    /// The JSON sidecars (`msg-N.json`) received so far, decoded.
    public func envelopes() -> [[String: Any]] {
        received("json").compactMap { url in
            (try? Data(contentsOf: url)).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        }
    }
}
