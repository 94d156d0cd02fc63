import Foundation

extension PythonTestServer {
    /// A real SMTP server (aiosmtpd, Debian `python3-aiosmtpd`): RCPT to `reject…@` gets 550, to
    /// `busy…@` 451; with `auth` (`user:password`) it offers AUTH (PLAIN and LOGIN, without TLS)
    /// and requires it. Each message becomes `msg-N.eml` (the DATA as received, see `TestMail`)
    /// and `msg-N.json` (`from`, `to`, and `login` as `user/MECHANISM`).
    public static func smtp(auth: String? = nil) throws -> PythonTestServer {
        try PythonTestServer(script: smtpScript, arguments: auth.map { [$0] } ?? [], prefix: "crm-smtp")
    }

    private static let smtpScript = #"""
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
}
