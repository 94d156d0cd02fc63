import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A running `crm serve --port 0` on a test workspace, and a small HTTP client for it.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let errors = Pipe()

    /// Starts the server and waits until it listens.
    init(_ crm: CRMProcess, extra: [String] = []) throws {
        process.executableURL = try CRMProcess.binary("crm")
        process.arguments = ["serve", "--port", "0", "--log-level", "warning", "--workspace", crm.workspace.path] + extra
        let out = Pipe()
        process.standardOutput = out
        process.standardError = errors
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { throw Failure(message: "crm serve exited: \(String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self))") }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let p = text.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) else {
            throw Failure(message: "unexpected first line: \(text)")
        }
        port = p
    }

    struct Failure: Error, CustomStringConvertible { var message: String; var description: String { message } }

    /// Sends SIGTERM and waits for a graceful exit; returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }

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
