import Foundation
import Testing
import CRMTestSupport

/// `crm backup` of a running server and `crm restore` into a new folder, through the real binary.
@Suite(.serialized) struct BackupCLITests {
    @Test func backupWhileServingRestoresEveryRecordScriptAndAttachment() async throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init"]).status == 0)
        try #require(crm.run(["import", "customer", try crm.write("c.csv", ImportCLITests.customersCSV(500))]).status == 0)
        try #require(crm.run(["user", "add", "lina", "--role", "admin"]).status == 0)
        let token = try crm.run(["token", "create", "lina"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let script = crm.workspace.appendingPathComponent("scripts/90_backup_marker.lua")
        try "-- 备份测试脚本\n".write(to: script, atomically: true, encoding: .utf8)
        let attachment = crm.workspace.appendingPathComponent("files/2026/12/合同.pdf")
        try FileManager.default.createDirectory(at: attachment.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("%PDF-1.4 合同".utf8).write(to: attachment)

        let server = try ServerProcess(crm)
        defer { server.stop() }
        // Writes go on through HTTP while the backup runs.
        let writer = Task {
            var made = 0
            for i in 0..<200 {
                let reply = try await server.call("POST", "/api/v1/records/customer", token: token,
                    body: #"{"name":"备份期间客户\#(i)","phone":"13600\#(String(format: "%06d", i))","industry":"制造业","source":"展会推荐"}"#)
                if reply.status == 201 { made += 1 }
                if Task.isCancelled { break }
            }
            return made
        }
        let archive = crm.root.appendingPathComponent("ws-backup.zip").path
        let backup = try crm.run(["backup", archive])
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(try await server.call("GET", "/healthz", token: nil).status == 200, "the server keeps answering")
        let made = try await writer.value
        #expect(made == 200)

        let restored = crm.root.appendingPathComponent("restored").path
        let restore = try crm.run(["restore", archive, "--workspace", restored], workspace: false)
        #expect(restore.status == 0, "\(restore.stderr)")
        let export = try crm.run(["export", "customer", "--workspace", restored], workspace: false).stdout
        let rows = export.split(separator: "\n").count - 1
        #expect(rows >= 500 && rows <= 700, "a consistent snapshot: \(rows)")
        #expect(export.contains("测试公司499有限公司"))
        let restoredDir = URL(fileURLWithPath: restored)
        #expect(try String(contentsOf: restoredDir.appendingPathComponent("scripts/90_backup_marker.lua"), encoding: .utf8) == "-- 备份测试脚本\n")
        #expect(try Data(contentsOf: restoredDir.appendingPathComponent("files/2026/12/合同.pdf")) == Data("%PDF-1.4 合同".utf8))

        // An existing workspace is replaced only with --force.
        let again = try crm.run(["restore", archive, "--workspace", restored], workspace: false)
        #expect(again.status == 4)
        #expect(again.stderr.contains("already holds a workspace; add --force"))
        #expect(try crm.run(["restore", archive, "--workspace", restored, "--force"], workspace: false).status == 0)
    }

    @Test func serveWithABackupFolderWritesTodaysDailyAndWeeklyBackupAtStart() async throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init"]).status == 0)
        try #require(crm.run(["import", "customer", try crm.write("c.csv", ImportCLITests.customersCSV(20))]).status == 0)
        let folder = crm.root.appendingPathComponent("backups")
        let server = try ServerProcess(crm, extra: ["--backup-dir", folder.path])
        defer { server.stop() }
        let names = { (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] }
        // Written once a complete archive is in place (the zip is renamed into the folder last).
        #expect(eventually(within: 30) { names().contains { $0.hasPrefix("daily-") } && names().contains { $0.hasPrefix("weekly-") } },
                "backups: \(names())")
        #expect(try await server.call("GET", "/healthz", token: nil).status == 200)
        let daily = try #require(names().first { $0.hasPrefix("daily-") })
        let restored = crm.root.appendingPathComponent("from-schedule").path
        let restore = try crm.run(["restore", folder.appendingPathComponent(daily).path, "--workspace", restored], workspace: false)
        #expect(restore.status == 0, "\(restore.stderr)")
        let export = try crm.run(["export", "customer", "--workspace", restored], workspace: false).stdout
        #expect(export.split(separator: "\n").count - 1 == 20)
    }

    @Test func truncatedDamagedAndNewerBackupsAreRefusedBeforeAnythingIsReplaced() throws {
        let crm = try CRMProcess()
        defer { crm.cleanUp() }
        try #require(crm.run(["init"]).status == 0)
        try #require(crm.run(["import", "customer", try crm.write("c.csv", ImportCLITests.customersCSV(50))]).status == 0)
        let archive = crm.root.appendingPathComponent("b.zip")
        try #require(crm.run(["backup", archive.path]).status == 0)
        let target = crm.root.appendingPathComponent("target")

        let data = try Data(contentsOf: archive)
        let truncated = crm.root.appendingPathComponent("truncated.zip")
        try data.prefix(data.count / 2).write(to: truncated)
        let t = try crm.run(["restore", truncated.path, "--workspace", target.path], workspace: false)
        #expect(t.status == 2)
        #expect(t.stderr.contains("truncated.zip: not a crm backup, or truncated"), "\(t.stderr)")
        #expect(!FileManager.default.fileExists(atPath: target.appendingPathComponent("crm.sqlite").path))

        // A backup whose database has a migration this version does not know: from a newer crm.
        let newer = crm.root.appendingPathComponent("newer.zip")
        try PythonScript.run("""
            import sys, zipfile, json, sqlite3, hashlib, tempfile, os
            src = zipfile.ZipFile(sys.argv[1])
            manifest = json.loads(src.read("manifest.json"))
            tmp = tempfile.mkdtemp(); db = os.path.join(tmp, "crm.sqlite")
            open(db, "wb").write(src.read("crm.sqlite"))
            c = sqlite3.connect(db); c.execute("INSERT INTO grdb_migrations VALUES ('kernel.999-from-the-future')"); c.commit(); c.close()
            raw = open(db, "rb").read()
            manifest["checksums"]["crm.sqlite"] = hashlib.sha256(raw).hexdigest()
            with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as out:
                out.writestr("manifest.json", json.dumps(manifest))
                for name in src.namelist():
                    if name not in ("manifest.json", "crm.sqlite"): out.writestr(name, src.read(name))
                out.writestr("crm.sqlite", raw)
            """, [archive.path, newer.path])
        let n = try crm.run(["restore", newer.path, "--workspace", target.path], workspace: false)
        #expect(n.status == 2)
        #expect(n.stderr.contains("made by a newer version of crm"), "\(n.stderr)")
        #expect(!FileManager.default.fileExists(atPath: target.appendingPathComponent("crm.sqlite").path))

        // A changed byte in the database fails its checksum, even with --force on a live workspace.
        let damaged = crm.root.appendingPathComponent("damaged.zip")
        try PythonScript.run("""
            import sys, zipfile
            src = zipfile.ZipFile(sys.argv[1])
            with zipfile.ZipFile(sys.argv[2], "w") as out:
                for name in src.namelist():
                    raw = src.read(name)
                    if name == "crm.sqlite": raw = raw[:5000] + bytes([raw[5000] ^ 0xFF]) + raw[5001:]
                    out.writestr(name, raw)
            """, [archive.path, damaged.path])
        let d = try crm.run(["restore", damaged.path, "--force"])
        #expect(d.status == 2)
        #expect(d.stderr.contains("checksum mismatch for crm.sqlite"), "\(d.stderr)")
        #expect(try crm.run(["export", "customer"]).stdout.split(separator: "\n").count == 51, "the live workspace is untouched")
    }
}
