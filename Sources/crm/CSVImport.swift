import CRMKernel
import CSV
import Foundation

/// Reading CSV files for import, with errors that name file and line.
enum CSVImport {
    /// The file's text. (Read whole: Foundation's InputStream on Linux reports a read error at
    /// end of file through CSV.swift's stream reader.)
    static func text(_ file: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: file) else { throw KernelError(.notFound, "\(file): cannot open file") }
        guard let text = String(data: data, encoding: .utf8) else { throw KernelError(.validation, "\(file): not UTF-8 text") }
        return text
    }

    static func reader(_ file: String, _ text: String) throws -> CSVReader {
        do { return try CSVReader(string: text, hasHeaderRow: true) } catch {
            throw KernelError(.validation, "\(file):1: cannot read the header row (\(error))")
        }
    }

    static func header(_ file: String, _ text: String) throws -> [String] {
        let r = try reader(file, text)
        guard let header = r.headerRow, !header.isEmpty else { throw KernelError(.validation, "\(file):1: the file has no header row") }
        return header.map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\u{FEFF}", with: "") }
    }

    /// Maps header cells to field names; accepts names and zh/en labels.
    static func mapHeader(_ header: [String], entity: EntitySchema, file: String) throws -> [String?] {
        var byLabel: [String: String] = [:]
        for f in entity.fields { byLabel[f.name] = f.name; byLabel[f.label.zh] = f.name; byLabel[f.label.en.lowercased()] = f.name }
        return try header.enumerated().map { i, cell in
            if cell == "id" { return nil }
            guard let name = byLabel[cell] ?? byLabel[cell.lowercased()] else {
                throw KernelError(.validation, "\(file):1: column \(i + 1) '\(cell)' is not a field of \(entity.name)", entity: entity.name,
                                  fieldErrors: [FieldError(field: cell, message: "unknown field")])
            }
            if let f = entity.fieldsByName[name], f.system { return nil }
            return name
        }
    }

    /// Reads the whole file once to find malformed lines before anything is written.
    static func checkStructure(_ file: String, _ text: String, width: Int) throws {
        let r = try reader(file, text)
        var line = 1
        while let row = r.next() {
            line += 1
            if row.count != width {
                throw KernelError(.validation, "\(file):\(line): expected \(width) columns, found \(row.count) (nothing was imported)")
            }
        }
        if let error = r.error { throw KernelError(.validation, "\(file):\(line + 1): malformed CSV (\(error)); nothing was imported") }
    }

    /// The data rows as field values (empty cells are left out).
    static func rows(_ file: String, _ text: String, columns: [String?]) throws -> AnySequence<[String: Value]> {
        let r = try reader(file, text)
        return AnySequence(AnyIterator {
            guard let row = r.next() else { return nil }
            var values: [String: Value] = [:]
            for (i, cell) in row.enumerated() where i < columns.count {
                if let name = columns[i], !cell.isEmpty { values[name] = .text(cell) }
            }
            return values
        })
    }

    static func cell(_ v: Value) -> String {
        switch v {
        case .null: return ""
        case .list(let l): return l.joined(separator: ",")
        default: return v.description
        }
    }

    static func quote(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }
}
