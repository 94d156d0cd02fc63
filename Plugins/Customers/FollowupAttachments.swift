import CRMKernel
import Foundation

/// The company's attachment limit: `crm.customers.attachment_rules{max_bytes = 10 * 1024 * 1024}`.
public struct AttachmentRules: Sendable, Hashable {
    /// The largest file accepted, in bytes.
    public var maxBytes: Int

    /// The rules in force when scripts say nothing: 10 MiB.
    public static let standard = AttachmentRules(maxBytes: 10 * 1024 * 1024)
    /// The setting's key in `Schema.setting(_:as:)`.
    public static let settingKey = "customers.attachment_rules"

    static var setting: PluginSetting {
        PluginSetting("attachment_rules", summary: "crm.customers.attachment_rules{max_bytes = 10 * 1024 * 1024}", default: .table([:])) { value in
            var rules = standard
            for (key, entry) in value.fields ?? [:] {
                guard key == "max_bytes" else { throw KernelError(.validation, "unknown key '\(key)' (known: max_bytes)") }
                guard let n = entry.integer, n > 0 else { throw KernelError(.validation, "max_bytes: expects a positive whole number of bytes") }
                rules.maxBytes = Int(n)
            }
            return rules
        }
    }
}

/// Files attached to follow-ups (跟进附件), kept in the workspace folder under
/// `files/followup/<followup id>/<name>`, one `attachment` record each (with its size and SHA-256).
///
/// The size is checked before anything is written; the record is created first and the file
/// written last in the same transaction, so a failed write rolls the record back.
public enum FollowupAttachments {
    /// `attachment`: one file of a follow-up.
    static var entity: EntityDefinition {
        EntityDefinition("attachment", label: LocalizedText("附件", en: "Attachment"), titleField: "name", fields: [
            FieldDefinition("followup", .reference, label: LocalizedText("跟进记录", en: "Follow-up"), required: true, indexed: true, target: "followup"),
            FieldDefinition("name", .text, label: LocalizedText("文件名", en: "File name"), required: true, maxLength: 200),
            FieldDefinition("size", .integer, label: LocalizedText("大小（字节）", en: "Size (bytes)"), required: true),
            FieldDefinition("sha256", .text, label: LocalizedText("SHA-256 校验值", en: "SHA-256"), indexed: true, maxLength: 64),
            FieldDefinition("path", .text, label: LocalizedText("存储路径", en: "Stored at"), maxLength: 400,
                            help: "相对工作区目录（relative to the workspace folder）"),
        ])
    }

    /// Attaches `data` as `name` to follow-up `followup`, in `tx`; returns the attachment record.
    /// Refused, with nothing written, when the file is over the limit, the name is not a plain
    /// file name, the follow-up does not exist or already has a file of that name.
    @discardableResult
    public static func attach(_ tx: WriteContext, directory: URL, followup: Int64, name: String, data: Data) throws -> Record {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        let limit = tx.schema.setting(AttachmentRules.settingKey, as: AttachmentRules.self)?.maxBytes ?? AttachmentRules.standard.maxBytes
        guard data.count <= limit else {
            throw KernelError(.validation, "attachment \(name) is \(data.count) bytes; the limit is \(limit) bytes", entity: "attachment",
                              fieldErrors: [FieldError(field: "size", message: "附件超过大小限制（\(limit) 字节）")])
        }
        guard !name.isEmpty, name.count <= 200, !name.contains("/"), !name.contains("\\"), name != ".", name != "..", !name.hasPrefix(".") else {
            throw KernelError(.validation, "attachment name '\(name)' must be a plain file name", entity: "attachment",
                              fieldErrors: [FieldError(field: "name", message: "文件名不能为空、不能含路径")])
        }
        guard try tx.reader.exists("followup", followup) else { throw KernelError.recordNotFound("followup", followup) }
        let same = try tx.reader.count("attachment", filter: .all([.eq("followup", .integer(followup)), .eq("name", .text(name))]))
        guard same == 0 else {
            throw KernelError(.conflict, "follow-up \(followup) already has an attachment named \(name)", entity: "attachment")
        }
        let relative = "files/followup/\(followup)/\(name)"
        // The attachment record is the module's bookkeeping for a follow-up the caller may
        // update (checked above and by the function's access): no grant on `attachment` needed.
        let record = try tx.asSystem { try tx.create("attachment", ["followup": .integer(followup), "name": .text(name),
                                                  "size": .integer(Int64(data.count)), "sha256": .text(Digests.sha256Hex(data)),
                                                  "path": .text(relative)]) }
        let url = directory.appendingPathComponent(relative)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
        } catch {
            throw KernelError(.storage, "cannot store attachment \(name): \(error.localizedDescription)", entity: "attachment")
        }
        return record
    }

    /// `crm.customers.attach(followup_id, name, content)`.
    static var functions: [ScriptFunction] {
        [
            ScriptFunction("attach", summary: "crm.customers.attach(followup_id, name, content) → the attachment record (file kept in the workspace, size-limited)",
                           effect: .write, access: .update("followup", recordArguments: [0])) { call in
                guard let followup = call[0].integer, let name = call[1].text, let content = call[2].text else {
                    throw KernelError(.validation, "crm.customers.attach needs a follow-up id, a file name and the content: attach(id, name, content)",
                                      entity: "attachment")
                }
                guard let directory = call.directory else {
                    throw KernelError(.invalidState, "crm.customers.attach: no workspace folder to keep files in", entity: "attachment")
                }
                return .record(try call.write { tx in
                    try attach(tx, directory: directory, followup: followup, name: name, data: Data(content.utf8))
                })
            },
        ]
    }
}
