import Foundation
import Hummingbird
import NIOCore

/// The static files the pages use (the stylesheet, the small script, vendored htmx and
/// SortableJS), read once from the target's resources and served with a long cache lifetime.
struct Assets: Sendable {
    private let files: [String: (bytes: [UInt8], type: String)]

    init() {
        var files: [String: (bytes: [UInt8], type: String)] = [:]
        let types = ["css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8", "svg": "image/svg+xml"]
        if let dir = Bundle.module.url(forResource: "Assets", withExtension: nil),
           let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) {
            for name in names {
                guard let type = types[(name as NSString).pathExtension],
                      let data = FileManager.default.contents(atPath: dir.appendingPathComponent(name).path) else { continue }
                files[name] = ([UInt8](data), type)
            }
        }
        self.files = files
    }

    /// Whether the file exists (tests check the vendored ones are there).
    func has(_ name: String) -> Bool { files[name] != nil }

    /// The file's size in bytes.
    func size(_ name: String) -> Int { files[name]?.bytes.count ?? 0 }

    func response(_ name: String) -> Response {
        guard let file = files[name] else { return Response(status: .notFound) }
        return Response(status: .ok, headers: [.contentType: file.type, .cacheControl: "public, max-age=86400"],
                        body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }
}
