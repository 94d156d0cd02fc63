import CRMKernel
import Foundation

/// A `multipart/form-data` body: its first file part and its text fields.
struct MultipartForm {
    /// The first part with a file name.
    var file: UploadedFile?
    /// The parts without a file name, by field name.
    var fields: [String: String] = [:]

    /// Parses `body`; a missing boundary or a malformed part is a 400.
    init(body: Data, contentType: String) throws {
        guard let boundary = Self.parameter("boundary", in: contentType), !boundary.isEmpty else {
            throw APIError(.badRequest, "multipart/form-data needs a boundary")
        }
        let delimiter = Data("--\(boundary)".utf8)
        let headerEnd = Data("\r\n\r\n".utf8)
        var cursor = body.startIndex
        guard let first = body.range(of: delimiter, in: cursor..<body.endIndex) else {
            throw APIError(.badRequest, "the multipart body has no part")
        }
        cursor = first.upperBound
        while cursor < body.endIndex {
            // "--" after a delimiter ends the body; otherwise a CRLF starts the part's headers.
            if body[cursor...].starts(with: Data("--".utf8)) { break }
            guard body[cursor...].starts(with: Data("\r\n".utf8)) else { throw APIError(.badRequest, "malformed multipart body") }
            let partStart = cursor + 2
            guard let headersEnd = body.range(of: headerEnd, in: partStart..<body.endIndex),
                  let next = body.range(of: Data("\r\n".utf8) + delimiter, in: headersEnd.upperBound..<body.endIndex) else {
                throw APIError(.badRequest, "malformed multipart body")
            }
            let headers = String(decoding: body[partStart..<headersEnd.lowerBound], as: UTF8.self)
            let content = Data(body[headersEnd.upperBound..<next.lowerBound])
            var disposition = "", type: String?
            for line in headers.components(separatedBy: "\r\n") {
                let lower = line.lowercased()
                if lower.hasPrefix("content-disposition:") { disposition = line }
                if lower.hasPrefix("content-type:") { type = line.dropFirst("content-type:".count).trimmingCharacters(in: .whitespaces) }
            }
            let name = Self.parameter("name", in: disposition) ?? ""
            if let fileName = Self.parameter("filename", in: disposition) {
                if file == nil { file = UploadedFile(name: fileName, contentType: type, data: content) }
            } else if !name.isEmpty {
                fields[name] = String(decoding: content, as: UTF8.self)
            }
            cursor = next.upperBound
        }
    }

    /// The value of `name=...` (quoted or not) in a header value.
    static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.trimmingCharacters(in: .whitespaces)
            guard pair.lowercased().hasPrefix(name.lowercased() + "=") else { continue }
            var value = String(pair.dropFirst(name.count + 1))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }
}
