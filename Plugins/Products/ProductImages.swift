import CRMKernel
import Foundation

/// Product images (产品图片), kept like follow-up attachments: files in the workspace folder under
/// `files/product/<product id>/<name>`, one `product_image` record each (size, SHA-256). Only
/// image types are accepted (png, jpg, jpeg, gif, webp), up to 5 MiB each.
public enum ProductImages {
    /// The largest image accepted, in bytes.
    public static let maxBytes = 5 * 1024 * 1024
    /// Accepted extensions and their content types.
    static let types = ["png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"]

    /// Adds `data` as image `name` of `product` in `tx`. Refused, with nothing written, when the
    /// product does not exist, the name is not a plain image file name, the file is too large or
    /// the product already has an image of that name.
    @discardableResult
    public static func attach(_ tx: WriteContext, directory: URL, product: Int64, name: String, data: Data) throws -> Record {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        var errors: [FieldError] = []
        if data.count > maxBytes { errors.append(FieldError(field: "size", message: "图片超过大小限制（\(maxBytes) 字节）")) }
        if data.isEmpty { errors.append(FieldError(field: "size", message: "图片为空")) }
        if name.isEmpty || name.count > 200 || name.contains("/") || name.contains("\\") || name.hasPrefix(".") {
            errors.append(FieldError(field: "name", message: "文件名不能为空、不能含路径"))
        } else if types[(name as NSString).pathExtension.lowercased()] == nil {
            errors.append(FieldError(field: "name", message: "只接受 png、jpg、gif、webp 图片"))
        }
        guard errors.isEmpty else { throw KernelError.invalid("product_image", errors) }
        guard try tx.reader.exists("product", product) else { throw KernelError.recordNotFound("product", product) }
        let same = try tx.reader.system.count("product_image", filter: .all([.eq("product", .integer(product)), .eq("name", .text(name))]))
        guard same == 0 else { throw KernelError(.conflict, "product \(product) already has an image named \(name)", entity: "product_image") }
        let relative = "files/product/\(product)/\(name)"
        let record = try tx.asSystem {
            try tx.create("product_image", ["product": .integer(product), "name": .text(name), "size": .integer(Int64(data.count)),
                                            "sha256": .text(Digests.sha256Hex(data)), "path": .text(relative)])
        }
        let url = directory.appendingPathComponent(relative)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
        } catch {
            throw KernelError(.storage, "cannot store image \(name): \(error.localizedDescription)", entity: "product_image")
        }
        return record
    }

    /// `crm.products.attach_image(product, name, content)`.
    static var functions: [ScriptFunction] {
        [
            ScriptFunction("attach_image", summary: "crm.products.attach_image(product, name, content) → the product_image record (file kept in the workspace)",
                           effect: .write, access: .update("product", recordArguments: [0])) { call in
                guard let product = call[0].integer, let name = call[1].text, let content = call[2].text else {
                    throw KernelError(.validation, "crm.products.attach_image needs a product id, a file name and the content", entity: "product_image")
                }
                guard let directory = call.directory else {
                    throw KernelError(.invalidState, "crm.products.attach_image: no workspace folder to keep files in", entity: "product_image")
                }
                return .record(try call.write { try attach($0, directory: directory, product: product, name: name, data: Data(content.utf8)) })
            },
        ]
    }

    /// `POST /api/v1/modules/products/products/:product/images` and `GET .../images/:image`.
    static var routes: [PluginRoute] {
        [
            PluginRoute(.post, "products/:product/images", summary: "Add an image to a product: the raw body with ?name=FILE, or a multipart file part",
                        audience: .signedIn(requires: FunctionAccess(entity: "product", action: .update)), body: .upload) { request in
                guard let file = request.file else { throw KernelError(.validation, "send the image as the body or as a multipart file part") }
                let product = try request.id("product")
                _ = try request.visibleRecord("product", product)
                let name = request.query["name"] ?? request.fields["name"] ?? file.name
                let record = try request.store.write(as: request.user) { tx in
                    try attach(tx, directory: request.workspace.directory, product: product, name: name, data: file.data)
                }
                return .json(.record(record), status: 201)
            },
            PluginRoute(.get, "images/:image", summary: "Download a product image",
                        audience: .signedIn(requires: FunctionAccess(entity: "product", action: .read))) { request in
                let id = try request.id("image")
                guard let image = try request.store.get("product_image", id), let product = image["product"].integerValue,
                      (try? request.visibleRecord("product", product)) != nil else {
                    throw KernelError.recordNotFound("product_image", id)
                }
                let name = image["name"].textValue ?? "image"
                let url = request.workspace.directory.appendingPathComponent(image["path"].textValue ?? "")
                guard url.standardizedFileURL.path.hasPrefix(request.workspace.directory.appendingPathComponent("files").standardizedFileURL.path),
                      let data = FileManager.default.contents(atPath: url.path) else {
                    throw KernelError(.notFound, "the file of image \(id) is missing from the workspace", entity: "product_image")
                }
                return .file(data, contentType: types[(name as NSString).pathExtension.lowercased()] ?? "application/octet-stream", fileName: name)
            },
        ]
    }
}
