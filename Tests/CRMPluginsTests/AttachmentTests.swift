import CRMCustomers
import CRMKernel
import CRMPlugins
import Foundation
import Testing

/// Follow-up attachments: kept as files in the workspace, size-limited, all or nothing.
struct AttachmentTests {
    static func setUp(maxBytes: Int64 = 16) throws -> (DuplicateFixture, Int64) {
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
        let stored = try String(contentsOf: w.directory.appendingPathComponent("files/followup/\(f)/报价单.txt"), encoding: .utf8)
        #expect(stored == "价格：100元")
        #expect(throws: KernelError.self, "the same name twice is refused") { _ = try Self.attach(w, f, "报价单.txt", "x") }
    }

    @Test func anOverLimitOrBadlyNamedFileIsRefusedAndNothingIsWritten() throws {
        let (w, f) = try Self.setUp()
        let error = duplicateError { _ = try Self.attach(w, f, "big.bin", String(repeating: "x", count: 17)) }
        #expect(error?.kind == .validation)
        #expect(error?.message.contains("the limit is 16 bytes") == true)
        for name in ["../escape.txt", "", ".hidden"] {
            #expect(duplicateError { _ = try Self.attach(w, f, name, "x") }?.kind == .validation, "\(name)")
        }
        #expect(try w.store.count("attachment") == 0)
        #expect(!FileManager.default.fileExists(atPath: w.directory.appendingPathComponent("files").path))
    }
}
