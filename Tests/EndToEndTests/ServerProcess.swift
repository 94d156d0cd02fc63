import CRMTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A running `crm serve --port 0` on a test workspace, and a small HTTP client for it.
///
/// The server never outlives the test: `stop()` (also run when the object is released, so
/// when a test throws before stopping it) sends SIGTERM, waits a bounded time, then SIGKILLs
/// and reaps it (`ChildProcess`); a start that fails kills it too. Its output goes to files
/// in the test's folder, never to a pipe nobody reads (a full pipe would block the server).
final class ServerProcess: @unchecked Sendable {
    let process: Process
    let port: Int
    private let errors: URL
    private let lock = NSLock()
    private var ended: Int32??

    /// Starts the server and waits (up to 60 s) until it listens.
    init(_ crm: CRMProcess, extra: [String] = []) throws {
        let name = "serve-\(UUID().uuidString.prefix(8))"
        let output = crm.root.appendingPathComponent(name + ".out")
        errors = crm.root.appendingPathComponent(name + ".err")
        for file in [output, errors] { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }
        let process = Process()
        process.executableURL = try CRMProcess.binary("crm")
        process.arguments = ["serve", "--port", "0", "--log-level", "warning", "--workspace", crm.workspace.path] + extra
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        self.process = process
        do {
            var first: String?
            _ = eventually(within: 60) {
                let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
                if let newline = text.firstIndex(of: "\n") { first = String(text[..<newline]) }
                return first != nil || !process.isRunning
            }
            guard let line = first else {
                throw Failure(message: "crm serve \(process.isRunning ? "did not listen within 60 s" : "exited"): \(Self.text(errors))")
            }
            guard let p = line.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) else {
                throw Failure(message: "unexpected first line: \(line)")
            }
            port = p
        } catch {
            ChildProcess.stop(process, grace: 0)
            throw error
        }
    }

    struct Failure: Error, CustomStringConvertible { var message: String; var description: String { message } }

    private static func text(_ url: URL) -> String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }

    /// Sends SIGTERM and waits for a graceful exit (SIGKILL after 20 s); returns the exit status
    /// (128 + the signal when killed, -1 when it could not be reaped). Calling it again returns
    /// the same status.
    @discardableResult
    func stop() -> Int32 {
        lock.withLock {
            if let ended { return ended ?? -1 }
            let status = ChildProcess.stop(process, grace: 20)
            ended = .some(status)
            return status ?? -1
        }
    }

    deinit { stop() }

    /// A reply: status, body text and parsed JSON object.
    struct Reply {
        var status: Int
        var text: String
        var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
        var data: [[String: Any]] { object["data"] as? [[String: Any]] ?? [] }
    }

    /// Sends one request.
    func call(_ method: String, _ path: String, token: String?, body: String? = nil) async throws -> Reply {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return Reply(status: (response as? HTTPURLResponse)?.statusCode ?? 0, text: String(decoding: data, as: UTF8.self))
    }
}
