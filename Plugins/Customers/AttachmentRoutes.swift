import CRMKernel
import Foundation

/// Follow-up attachments over HTTP and from the command line, checked against the caller:
/// `POST /api/v1/modules/customers/followups/{id}/attachments` (raw or multipart body) and
/// `GET /api/v1/modules/customers/attachments/{id}` (the file itself).
extension FollowupAttachments {
    /// Attaches as `user`: with `access` (a non-administrator), the caller must be allowed to
    /// update follow-ups and see this one (as `crm.customers.attach` requires); one they cannot
    /// see is refused as missing.
    static func attach(_ store: RecordStore, access: AccessGuard?, as user: ActingUser, directory: URL,
                       followup: Int64, name: String, data: Data) throws -> Record {
        if let access {
            try access.require(.update, on: "followup")
            guard let record = try store.get("followup", followup), access.canSee(record, try store.schema.entity("followup")) else {
                throw KernelError.recordNotFound("followup", followup)
            }
        }
        return try store.write(as: user) { tx in
            try attach(tx, directory: directory, followup: followup, name: name, data: data)
        }
    }

    /// The routes.
    static var routes: [PluginRoute] {
        [
            PluginRoute(.post, "followups/:followup/attachments",
                        summary: "Attach a file to a follow-up: the raw body with ?name=FILE, or a multipart/form-data file part",
                        audience: .signedIn(requires: FunctionAccess(entity: "followup", action: .update)), body: .upload) { request in
                guard let file = request.file else { throw KernelError(.validation, "send the file as the body or as a multipart file part") }
                let name = request.query["name"] ?? request.fields["name"] ?? file.name
                let record = try attach(request.store, access: request.access, as: request.user, directory: request.workspace.directory,
                                        followup: try request.id("followup"), name: name, data: file.data)
                return .json(.record(record), status: 201)
            },
            PluginRoute(.get, "attachments/:attachment", summary: "Download an attachment (the caller must see its follow-up)",
                        audience: .signedIn(requires: FunctionAccess(entity: "followup", action: .read))) { request in
                // An attachment is visible exactly when its follow-up is.
                let id = try request.id("attachment")
                guard let attachment = try request.store.get("attachment", id), let followup = attachment["followup"].integerValue,
                      (try? request.visibleRecord("followup", followup)) != nil else {
                    throw KernelError.recordNotFound("attachment", id)
                }
                let name = attachment["name"].textValue ?? "attachment"
                let url = request.workspace.directory.appendingPathComponent(attachment["path"].textValue ?? "")
                guard url.standardizedFileURL.path.hasPrefix(request.workspace.directory.appendingPathComponent("files").standardizedFileURL.path),
                      let data = FileManager.default.contents(atPath: url.path) else {
                    throw KernelError(.notFound, "the file of attachment \(attachment.id) is missing from the workspace", entity: "attachment")
                }
                return .file(data, contentType: contentType(of: name), fileName: name)
            },
        ]
    }

    /// The content type a file name suggests (octet-stream when unknown).
    static func contentType(of name: String) -> String {
        let types = ["txt": "text/plain; charset=utf-8", "csv": "text/csv; charset=utf-8", "pdf": "application/pdf",
                     "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "json": "application/json",
                     "doc": "application/msword", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                     "xls": "application/vnd.ms-excel", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     "zip": "application/zip"]
        let ext = (name as NSString).pathExtension.lowercased()
        return types[ext] ?? "application/octet-stream"
    }
}
