import CRMCustomers
import CRMKernel
import CRMPlugins
import Foundation
import Testing

/// Follow-up attachments: kept as files in the workspace, size-limited, all or nothing.
struct AttachmentTests {
    static func setUp(maxBytes: Int64 = 64) throws -> (DuplicateFixture, Int64) {
        let w = try DuplicateFixture()
        try w.ws.applyCompany(CompanyContributions(schema: SchemaDeclarations(settings: [
            AttachmentRules.settingKey: .table(["max_bytes": .value(.integer(maxBytes))]),
        ])))
        let c = try w.create("深圳华信科技有限公司", "13800138000")
        let f = try w.store.create("followup", ["customer": .integer(c.id), "type": .text("拜访"), "content": .text("现场演示")])
        return (w, f.id)
    }

    static func attach(_ w: DuplicateFixture, _ followup: Int64, _ name: String, _ text: String) throws -> Record {
        try w.store.write(as: .system) { tx in
            try FollowupAttachments.attach(tx, directory: w.directory, followup: followup, name: name, data: Data(text.utf8))
        }
    }

    @Test func anAttachmentIsKeptInTheWorkspaceAndRecorded() throws {
        let (w, f) = try Self.setUp()
        let record = try Self.attach(w, f, "报价单.txt", "价格：100元")
        #expect(record["path"] == .text("files/followup/\(f)/报价单.txt"))
        #expect(record["size"] == .integer(Int64(Data("价格：100元".utf8).count)))
        let empty = try Self.attach(w, f, "empty.txt", "")
        #expect(empty["sha256"] == .text("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"))
        let abc = try Self.attach(w, f, "abc.txt", "abc")
        #expect(abc["sha256"] == .text("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
        let two = try Self.attach(w, f, "two.txt", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        #expect(two["sha256"] == .text("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"), "a message padded into two blocks")
        let stored = try String(contentsOf: w.directory.appendingPathComponent("files/followup/\(f)/报价单.txt"), encoding: .utf8)
        #expect(stored == "价格：100元")
        #expect(throws: KernelError.self, "the same name twice is refused") { _ = try Self.attach(w, f, "报价单.txt", "x") }
    }

    @Test func anOverLimitOrBadlyNamedFileIsRefusedAndNothingIsWritten() throws {
        let (w, f) = try Self.setUp()
        let error = duplicateError { _ = try Self.attach(w, f, "big.bin", String(repeating: "x", count: 65)) }
        #expect(error?.kind == .validation)
        #expect(error?.message.contains("the limit is 64 bytes") == true)
        for name in ["../escape.txt", "", ".hidden"] {
            #expect(duplicateError { _ = try Self.attach(w, f, name, "x") }?.kind == .validation, "\(name)")
        }
        #expect(try w.store.count("attachment") == 0)
        #expect(!FileManager.default.fileExists(atPath: w.directory.appendingPathComponent("files").path))
    }
}
