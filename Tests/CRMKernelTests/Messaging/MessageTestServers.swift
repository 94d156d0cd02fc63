import Foundation
import Testing

/// Waits until `condition` holds, polling every 20 ms, up to `seconds`; false on timeout.
func eventually(within seconds: Double = 15, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.02)
    }
    return try condition()
}

/// A Python helper server started for one test and stopped when released: a real SMTP server
/// (`aiosmtpd`, Debian `python3-aiosmtpd`) or a small HTTP SMS gateway, each writing what it
/// received into its folder.
final class PythonTestServer: @unchecked Sendable {
    let folder: URL
    let process = Process()
    let port: Int

    /// Starts `script` with the folder (and `arguments`) and waits for it to write its port.
    init(script: String, arguments: [String] = []) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-msg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("server.py")
        try script.write(to: file, atomically: true, encoding: .utf8)
        // Debian's python3 has python3-aiosmtpd; another python3 earlier on PATH may not.
        let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"
        process.executableURL = URL(fileURLWithPath: python.hasPrefix("/") ? python : "/usr/bin/env")
        process.arguments = (python.hasPrefix("/") ? [] : [python]) + [file.path, folder.path] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let ready = folder.appendingPathComponent("ready")
        guard eventually(within: 20, { FileManager.default.fileExists(atPath: ready.path) }),
              let text = try? String(contentsOf: ready, encoding: .utf8), let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(process.processIdentifier, SIGKILL)
            throw TestServerError.didNotStart(file.lastPathComponent)
        }
        self.port = port
    }

    deinit {
        // Foundation's waitUntilExit can hang on Linux when called from a task; the signal is enough.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: folder)
    }

    /// Files named `<prefix>-N.<ext>` received so far, in order.
    func received(_ ext: String) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix("." + ext) && $0.hasPrefix("msg-") }
            .sorted { Int($0.dropFirst(4).prefix(while: \.isNumber)) ?? 0 < Int($1.dropFirst(4).prefix(while: \.isNumber)) ?? 0 }
            .map { folder.appendingPathComponent($0) }
    }

    /// The JSON sidecars received so far, decoded.
    func envelopes() -> [[String: Any]] {
        received("json").compactMap { url in
            (try? Data(contentsOf: url)).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        }
    }

    enum TestServerError: Error { case didNotStart(String) }

    /// An aiosmtpd server: RCPT to `reject…@` gets 550, to `busy…@` 451; with an argument
    /// `user:password` it offers AUTH (PLAIN and LOGIN, without TLS) and requires it. Each message
    /// becomes `msg-N.eml` (the DATA as received) and `msg-N.json` (envelope and login).
    static func smtp(auth: String? = nil) throws -> PythonTestServer {
        try PythonTestServer(script: smtpScript, arguments: auth.map { [$0] } ?? [])
    }

    /// An HTTP SMS gateway: each POST becomes `msg-N.json` (`{"auth": header, "body": the JSON}`)
    /// and gets `{"id": "gw-N"}`; a body text containing `fail-permanent` gets 400, `fail-once` a
    /// 503 the first time.
    static func smsGateway() throws -> PythonTestServer {
        try PythonTestServer(script: gatewayScript)
    }

    static let smtpScript = #"""
import json, os, socket, sys, time
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

folder = sys.argv[1]
auth = sys.argv[2] if len(sys.argv) > 2 else None
count = 0

def authenticator(server, session, envelope, mechanism, data):
    ok = auth is not None and (data.login.decode() + ":" + data.password.decode()) == auth
    return AuthResult(success=ok, auth_data=data.login.decode() + "/" + mechanism if ok else None)

class Handler:
    async def handle_RCPT(self, server, session, envelope, address, options):
        if auth is not None and not session.authenticated:
            return "530 5.7.0 Authentication required"
        if address.startswith("reject"):
            return "550 5.1.1 No such user"
        if address.startswith("busy"):
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        global count
        count += 1
        base = os.path.join(folder, "msg-%d" % count)
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".json", "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos, "login": session.auth_data}, f)
        os.rename(base + ".tmp", base + ".eml")
        return "250 Message accepted"

s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
kwargs = dict(hostname="127.0.0.1", port=port)
if auth is not None:
    kwargs.update(authenticator=authenticator, auth_require_tls=False, auth_required=False)
Controller(Handler(), **kwargs).start()
with open(os.path.join(folder, "ready.tmp"), "w") as f:
    f.write(str(port))
os.rename(os.path.join(folder, "ready.tmp"), os.path.join(folder, "ready"))
while True:
    time.sleep(3600)
"""#

    static let gatewayScript = #"""
import json, os, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

folder = sys.argv[1]
state = {"count": 0, "failed_once": False}

class Gateway(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        payload = json.loads(body.decode("utf-8"))
        text = payload.get("body", "")
        if "fail-permanent" in text:
            return self.answer(400, {"error": "bad number"})
        if "fail-once" in text and not state["failed_once"]:
            state["failed_once"] = True
            return self.answer(503, {"error": "busy"})
        state["count"] += 1
        base = os.path.join(folder, "msg-%d" % state["count"])
        with open(base + ".tmp", "w") as f:
            json.dump({"auth": self.headers.get("Authorization"), "body": payload}, f, ensure_ascii=False)
        os.rename(base + ".tmp", base + ".json")
        self.answer(200, {"id": "gw-%d" % state["count"]})

    def answer(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
with open(os.path.join(folder, "ready.tmp"), "w") as f:
    f.write(str(server.server_address[1]))
os.rename(os.path.join(folder, "ready.tmp"), os.path.join(folder, "ready"))
server.serve_forever()
"""#
}
