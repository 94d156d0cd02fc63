import Foundation

extension PythonTestServer {
    /// An HTTP SMS gateway: each POST becomes `msg-N.json` (`{"auth": header, "body": the JSON}`)
    /// and gets `{"id": "gw-N"}`; a body text containing `fail-permanent` gets 400, `fail-once` a
    /// 503 the first time.
    public static func smsGateway() throws -> PythonTestServer {
        try PythonTestServer(script: gatewayScript, prefix: "crm-sms")
    }

    private static let gatewayScript = #"""
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
