import Foundation

/// A real SMTP server (`python3 -m aiosmtpd`'s Controller, Debian `python3-aiosmtpd`) on
/// 127.0.0.1 for one test, writing each message as `msg-N.eml`; killed when released. The minimal
/// part of `Tests/CRMKernelTests/Messaging/MessageTestServers.swift` (test targets cannot import
/// each other).
final class ReportMailServer: @unchecked Sendable {
    let folder: URL
    let process = Process()
    let port: Int

    /// Polls `condition` every 20 ms until it holds or `seconds` pass.
    static func eventually(within seconds: Double = 15, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return condition()
    }

    /// Starts the server and waits for it to write its port.
    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-report-mail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("server.py")
        try Self.script.write(to: file, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "/usr/bin/env")
        process.arguments = (process.executableURL?.path == "/usr/bin/env" ? ["python3"] : []) + [file.path, folder.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let ready = folder.appendingPathComponent("ready")
        guard Self.eventually(within: 20, { FileManager.default.fileExists(atPath: ready.path) }),
              let text = try? String(contentsOf: ready, encoding: .utf8), let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(process.processIdentifier, SIGKILL)
            throw ServerError.didNotStart
        }
        self.port = port
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: folder)
    }

    enum ServerError: Error { case didNotStart }

    /// The messages received so far.
    func mails() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasPrefix("msg-") && $0.hasSuffix(".eml") }.sorted().map { folder.appendingPathComponent($0) }
    }

    /// The decoded subject (RFC 2047 base64 words) and body (base64) of a received e-mail.
    static func decode(_ eml: URL) throws -> (subject: String, body: String) {
        let text = try String(contentsOf: eml, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
        let parts = text.components(separatedBy: "\n\n")
        let headers = parts[0].replacingOccurrences(of: "\n ", with: " ")
        let subjectLine = headers.split(separator: "\n").first { $0.hasPrefix("Subject: ") }.map { String($0.dropFirst(9)) } ?? ""
        let subject = subjectLine.split(separator: " ").map { word -> String in
            guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?=") else { return String(word) }
            return String(decoding: Data(base64Encoded: String(word.dropFirst(10).dropLast(2))) ?? Data(), as: UTF8.self)
        }.joined()
        let body64 = parts.dropFirst().joined(separator: "\n").replacingOccurrences(of: "\n", with: "")
        return (subject, String(decoding: Data(base64Encoded: body64) ?? Data(), as: UTF8.self))
    }

    static let script = #"""
import os, socket, sys, time
from aiosmtpd.controller import Controller

folder = sys.argv[1]
count = 0

class Handler:
    async def handle_DATA(self, server, session, envelope):
        global count
        count += 1
        base = os.path.join(folder, "msg-%d" % count)
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".tmp", base + ".eml")
        return "250 Message accepted"

s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
Controller(Handler(), hostname="127.0.0.1", port=port).start()
with open(os.path.join(folder, "ready.tmp"), "w") as f:
    f.write(str(port))
os.rename(os.path.join(folder, "ready.tmp"), os.path.join(folder, "ready"))
while True:
    time.sleep(3600)
"""#
}
