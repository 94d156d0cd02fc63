import Foundation

/// A real SMTP server (`aiosmtpd`, Debian `python3-aiosmtpd`) on 127.0.0.1 for one test, stopped
/// when released; each message becomes `msg-N.eml`. The minimal SMTP part of
/// Tests/CRMKernelTests/Messaging/MessageTestServers.swift (not importable from this target):
/// RCPT to `reject…@` gets a permanent 550.
final class SMTPTestServer: @unchecked Sendable {
    let folder: URL
    let process = Process()
    let port: Int

    /// Starts the server and waits (up to 20 s) until it has written its port.
    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-svc-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("server.py")
        try Self.script.write(to: file, atomically: true, encoding: .utf8)
        // Debian's python3 has python3-aiosmtpd; another python3 earlier on PATH may not.
        let debian = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
        process.executableURL = URL(fileURLWithPath: debian ? "/usr/bin/python3" : "/usr/bin/env")
        process.arguments = (debian ? [] : ["python3"]) + [file.path, folder.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let ready = folder.appendingPathComponent("ready")
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: ready.path), Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        guard let text = try? String(contentsOf: ready, encoding: .utf8), let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(process.processIdentifier, SIGKILL)
            throw DidNotStart()
        }
        self.port = port
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: folder)
    }

    struct DidNotStart: Error {}

    /// The messages received so far, in order.
    func received() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasPrefix("msg-") && $0.hasSuffix(".eml") }
            .sorted { Int($0.dropFirst(4).prefix(while: \.isNumber)) ?? 0 < Int($1.dropFirst(4).prefix(while: \.isNumber)) ?? 0 }
            .map { folder.appendingPathComponent($0) }
    }

    /// The decoded subject (RFC 2047 `=?UTF-8?B?…?=` words) and the raw headers of a received e-mail.
    static func subject(_ eml: URL) throws -> String {
        let text = try String(contentsOf: eml, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
        let headers = (text.components(separatedBy: "\n\n").first ?? "").replacingOccurrences(of: "\n ", with: " ")
        let line = headers.split(separator: "\n").first { $0.hasPrefix("Subject: ") }.map { String($0.dropFirst(9)) } ?? ""
        return line.split(separator: " ").map { word -> String in
            guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?=") else { return String(word) }
            return String(decoding: Data(base64Encoded: String(word.dropFirst(10).dropLast(2))) ?? Data(), as: UTF8.self)
        }.joined()
    }

    static let script = #"""
import os, socket, sys, time
from aiosmtpd.controller import Controller

folder = sys.argv[1]
count = 0

class Handler:
    async def handle_RCPT(self, server, session, envelope, address, options):
        if address.startswith("reject"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

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
