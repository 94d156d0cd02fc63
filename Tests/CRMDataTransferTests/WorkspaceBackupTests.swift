@testable import CRMDataTransfer
import CRMKernel
import CRMPlugins
import Foundation
import Testing
import CRMTestSupport
import ZIPFoundation

/// The backup archive's contract: written in one pass (deflate, CRC-32 and SHA-256 from one read),
/// read back with every checksum checked; damaged archives refused; archives of the earlier
/// layout (manifest first, ZIPFoundation's deflate) still restore.
@Suite(.serialized) struct WorkspaceBackupTests {
    /// A workspace with customers, a script and an attachment with a Chinese name.
    static func workspace(in root: URL) throws -> Workspace {
        let ws = try Workspace(directory: root.appendingPathComponent("ws"), registry: try BuiltInPlugins.registry(), create: true)
        for i in 0..<300 {
            try ws.store.create("customer", ["name": .text("备份测试公司\(i)"), "phone": .text("1380013\(String(format: "%04d", i))"),
                                             "industry": .text("信息技术"), "source": .text("展会推荐")])
        }
        let files = ws.directory.appendingPathComponent("files/2026/12")
        try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
        try Data("%PDF-1.4 合同".utf8).write(to: files.appendingPathComponent("合同.pdf"))
        try Data().write(to: files.appendingPathComponent("empty.txt"))
        let scripts = ws.directory.appendingPathComponent("scripts")
        try FileManager.default.createDirectory(at: scripts, withIntermediateDirectories: true)
        try Data("-- 备份\n".utf8).write(to: scripts.appendingPathComponent("90_marker.lua"))
        return ws
    }

    /// What Python's zipfile reads: every entry's CRC-32 checked (`testzip`), its SHA-256 by name,
    /// and the names of the entries whose central-directory record carries a ZIP64 extra field.
    static func pythonRead(_ archive: URL) throws -> (digests: [String: String], zip64: Set<String>) {
        struct Read: Decodable { var digests: [String: String]; var zip64: [String] }
        let out = try PythonScript.run("""
            import sys, zipfile, hashlib, json
            z = zipfile.ZipFile(sys.argv[1])
            assert z.testzip() is None
            print(json.dumps({"digests": {i.filename: hashlib.sha256(z.read(i)).hexdigest() for i in z.infolist()},
                              "zip64": [i.filename for i in z.infolist() if i.extra[:2] == b"\\x01\\x00"]}))
            """, [archive.path])
        let read = try JSONDecoder().decode(Read.self, from: Data(out.utf8))
        return (read.digests, Set(read.zip64))
    }

    @Test(arguments: [false, true])
    func oneFileBackupRestoresWithEveryChecksum(forceZIP64: Bool) throws {
        let root = try PythonScript.tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let ws = try Self.workspace(in: root)
        defer { ws.close() }
        let file = root.appendingPathComponent("b.zip")
        let manifest = try WorkspaceBackup.write(ws, to: file, version: "test", forceZIP64: forceZIP64)
        #expect(Set(manifest.checksums.keys) == ["crm.sqlite", "files/2026/12/合同.pdf", "files/2026/12/empty.txt", "scripts/90_marker.lua"])

        // Another reader agrees on every entry's bytes and CRC-32, and with the manifest.
        let (digests, zip64) = try Self.pythonRead(file)
        #expect(Set(digests.keys) == Set(manifest.checksums.keys).union(["manifest.json"]))
        for (path, sum) in manifest.checksums { #expect(digests[path] == sum, "\(path)") }
        // The forced layout is the one of an archive over 4 GiB: a ZIP64 extra field in every
        // entry (only non-zero values move there: the first entry's sizes, the empty file's
        // offset), and the ZIP64 end record and locator before the end record.
        let data = try Data(contentsOf: file)
        let locator = data.count - 22 - 20
        let hasZIP64End = data.subdata(in: locator..<locator + 4) == Data([0x50, 0x4b, 0x06, 0x07])
        #expect(hasZIP64End == forceZIP64)
        #expect(zip64 == (forceZIP64 ? Set(digests.keys) : []))

        let restored = root.appendingPathComponent("restored")
        let read = try WorkspaceBackup.restore(file, into: restored, force: false)
        #expect(read.checksums == manifest.checksums)
        for (path, sum) in manifest.checksums where path != "crm.sqlite" {
            #expect(try WorkspaceBackup.sha256(of: restored.appendingPathComponent(path)) == sum)
        }
        #expect(try String(contentsOf: restored.appendingPathComponent("files/2026/12/合同.pdf"), encoding: .utf8) == "%PDF-1.4 合同")
        let back = try Workspace(directory: restored, registry: try BuiltInPlugins.registry(), create: false)
        defer { back.close() }
        #expect(try back.store.count("customer") == 300)
    }

    @Test func aDamagedOrTruncatedArchiveIsRefusedAndNothingIsReplaced() throws {
        let root = try PythonScript.tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let ws = try Self.workspace(in: root)
        defer { ws.close() }
        let file = root.appendingPathComponent("b.zip")
        try WorkspaceBackup.write(ws, to: file, version: "test")
        let data = try Data(contentsOf: file)
        // crm.sqlite is the first entry: its data follows the local header, its name and extra field.
        #expect(data.subdata(in: 30..<40) == Data("crm.sqlite".utf8))
        let start = 30 + (Int(data[26]) | Int(data[27]) << 8) + (Int(data[28]) | Int(data[29]) << 8)
        let target = root.appendingPathComponent("target")

        // A changed byte inside the deflated database.
        var damaged = data
        damaged[start + 1000] ^= 0x55
        let d = root.appendingPathComponent("damaged.zip")
        try damaged.write(to: d)
        let refused = #expect(throws: KernelError.self) { try WorkspaceBackup.restore(d, into: target, force: false) }
        #expect(refused?.message.contains("damaged") == true, "\(String(describing: refused))")
        #expect(!FileManager.default.fileExists(atPath: target.appendingPathComponent("crm.sqlite").path))

        // Cut in the middle of the database.
        let t = root.appendingPathComponent("truncated.zip")
        try data.prefix(start + 2000).write(to: t)
        #expect(throws: KernelError.self) { try WorkspaceBackup.restore(t, into: target, force: false) }
        #expect(!FileManager.default.fileExists(atPath: target.appendingPathComponent("crm.sqlite").path))

        // A manifest whose checksum does not match a file (the ZIP itself intact).
        let m = root.appendingPathComponent("mismatch.zip")
        try PythonScript.run("""
            import sys, zipfile, json
            src = zipfile.ZipFile(sys.argv[1])
            manifest = json.loads(src.read("manifest.json"))
            manifest["checksums"]["scripts/90_marker.lua"] = "0" * 64
            with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as out:
                for name in src.namelist():
                    out.writestr(name, json.dumps(manifest) if name == "manifest.json" else src.read(name))
            """, [file.path, m.path])
        let mismatch = #expect(throws: KernelError.self) { try WorkspaceBackup.restore(m, into: target, force: false) }
        #expect(mismatch?.message.contains("checksum mismatch for scripts/90_marker.lua") == true, "\(String(describing: mismatch))")
        #expect(!FileManager.default.fileExists(atPath: target.appendingPathComponent("crm.sqlite").path))
    }

    /// An archive as the earlier writer made it: the manifest first, every entry deflated by
    /// ZIPFoundation at zlib's default level.
    @Test func anArchiveOfTheEarlierLayoutStillRestores() throws {
        let root = try PythonScript.tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let ws = try Self.workspace(in: root)
        defer { ws.close() }
        let staging = root.appendingPathComponent("staging")
        try FileManager.default.createDirectory(at: staging.appendingPathComponent("scripts"), withIntermediateDirectories: true)
        let db = staging.appendingPathComponent("crm.sqlite")
        try ws.store.backup(to: db.path)
        let script = ws.directory.appendingPathComponent("scripts/90_marker.lua")
        let pdf = ws.directory.appendingPathComponent("files/2026/12/合同.pdf")
        let entries: [(String, URL)] = [("crm.sqlite", db), ("scripts/90_marker.lua", script), ("files/2026/12/合同.pdf", pdf)]
        var checksums: [String: String] = [:]
        for (path, url) in entries { checksums[path] = try WorkspaceBackup.sha256(of: url) }
        let manifest = WorkspaceBackup.Manifest(format: 1, version: "0.9", createdAt: "2026-11-01T00:00:00Z", checksums: checksums)
        let manifestURL = staging.appendingPathComponent("manifest.json")
        try JSONEncoder().encode(manifest).write(to: manifestURL)
        let file = root.appendingPathComponent("old.zip")
        let archive = try Archive(url: file, accessMode: .create)
        try archive.addEntry(with: "manifest.json", fileURL: manifestURL, compressionMethod: .deflate)
        for (path, url) in entries { try archive.addEntry(with: path, fileURL: url, compressionMethod: .deflate) }

        let restored = root.appendingPathComponent("restored")
        let read = try WorkspaceBackup.restore(file, into: restored, force: false)
        #expect(read.version == "0.9")
        #expect(try String(contentsOf: restored.appendingPathComponent("scripts/90_marker.lua"), encoding: .utf8) == "-- 备份\n")
        let back = try Workspace(directory: restored, registry: try BuiltInPlugins.registry(), create: false)
        defer { back.close() }
        #expect(try back.store.count("customer") == 300)
    }
}
