import Crypto
import CRMKernel
import Dispatch
import Foundation

/// Writes a backup's ZIP archive, each file in one pass: every chunk read is deflated and
/// written while another thread takes its SHA-256 (for the manifest) and CRC-32 (for ZIP), so
/// a file is read once and the two cores share the work.
///
/// The archive is plain ZIP (PKWARE APPNOTE 6.3): deflated entries with UTF-8 names, their
/// sizes and CRC-32 in the local header (rewritten after the data) and in the central directory,
/// and the ZIP64 records when an entry or an offset outgrows 32 bits. ZIPFoundation, `unzip` and
/// Python's `zipfile` read it; `WorkspaceBackup.restore` reads it with ZIPFoundation.
final class BackupArchiveWriter {
    /// What the central directory needs of a written entry.
    private struct Written {
        var name: [UInt8]
        var method: UInt16
        var dosTime: UInt16
        var dosDate: UInt16
        var crc: UInt32
        var compressedSize: UInt64
        var uncompressedSize: UInt64
        var offset: UInt64
        var zip64: Bool

        /// The fields the local header and the central-directory entry share, from "version
        /// needed to extract" to the name's length: UTF-8 names, the method, the DOS time, the
        /// CRC-32 and the sizes (0xFFFFFFFF when they are in the ZIP64 extra field).
        func appendSharedFields(to out: inout [UInt8], versionNeeded: UInt16) {
            out.le16(versionNeeded)
            out.le16(0x0800)  // UTF-8 names
            out.le16(method)
            out.le16(dosTime)
            out.le16(dosDate)
            out.le32(crc)
            out.le32(zip64 ? 0xFFFF_FFFF : UInt32(compressedSize))
            out.le32(zip64 ? 0xFFFF_FFFF : UInt32(uncompressedSize))
            out.le16(UInt16(name.count))
        }
    }

    /// The SHA-256 and CRC-32 of one file, updated on the hashing thread, chunk after chunk.
    private final class Sums: @unchecked Sendable {
        var sha = SHA256()
        var crc: UInt32 = 0
    }

    /// A chunk handed to the hashing thread; the writer waits for it before reusing the buffer.
    private struct Chunk: @unchecked Sendable { let bytes: UnsafeRawBufferPointer }

    /// Sizes at or above this are written with ZIP64 fields (deflate can grow a chunk a little,
    /// so the limit leaves room below 4 GiB).
    static let zip64Threshold: UInt64 = 0xF000_0000
    /// How much of a file is read, hashed and deflated at a time.
    static let chunkSize = 1 << 20

    private let path: String
    /// The archive's file; -1 once `finish` has closed it.
    private var descriptor: Int32
    private let level: Int32
    private let forceZIP64: Bool
    private var position: UInt64 = 0
    private var entries: [Written] = []
    private var names: Set<String> = []
    private let hashing = DispatchQueue(label: "crm.backup.checksums")

    /// Creates (or empties) `url`. `level` is zlib's (1 fastest … 9 smallest); `forceZIP64`
    /// writes the ZIP64 end records, and the ZIP64 sizes and offsets of every entry whose value
    /// is not zero, as an archive over 4 GiB has them.
    ///
    /// A zero is never moved into a ZIP64 field: ZIPFoundation (which restores the archive)
    /// takes a zero there for "absent" and would then read the 0xFFFFFFFF placeholder as the
    /// value. In a real archive over 4 GiB a ZIP64 value is never zero anyway.
    init(url: URL, level: Int32, forceZIP64: Bool = false) throws {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw KernelError(.storage, "\(url.path): cannot create (\(String(cString: strerror(errno))))") }
        self.descriptor = descriptor
        path = url.path
        self.level = level
        self.forceZIP64 = forceZIP64
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Adds the file at `url` as `name`, deflated; returns its SHA-256 (hex).
    func addFile(_ name: String, from url: URL) throws -> String {
        let input = open(url.path, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw KernelError(.storage, "\(url.path): cannot read (\(String(cString: strerror(errno))))") }
        defer { close(input) }
        var info = stat()
        guard fstat(input, &info) == 0 else { throw KernelError(.storage, "\(url.path): cannot read its size (\(String(cString: strerror(errno))))") }
        let modified = Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec))
        var buffer = [UInt8](repeating: 0, count: Self.chunkSize)
        return try addEntry(name, size: UInt64(info.st_size), modified: modified) { consume in
            try buffer.withUnsafeMutableBytes { raw in
                while true {
                    let count = read(input, raw.baseAddress, raw.count)
                    if count < 0 && errno == EINTR { continue }
                    guard count >= 0 else { throw KernelError(.storage, "\(url.path): read failed (\(String(cString: strerror(errno))))") }
                    if count == 0 { return }
                    try consume(UnsafeRawBufferPointer(rebasing: raw[0..<count]))
                }
            }
        }
    }

    /// Adds `data` as `name`, deflated; returns its SHA-256 (hex).
    @discardableResult
    func addData(_ name: String, _ data: Data, modified: Date = Date()) throws -> String {
        try addEntry(name, size: UInt64(data.count), modified: modified) { consume in
            try data.withUnsafeBytes { try consume($0) }
        }
    }

    /// Writes the central directory and the end records, flushes the archive to disk and closes
    /// it; the archive is then complete and may be renamed into place.
    func finish() throws {
        let start = position
        var directory: [UInt8] = []
        for entry in entries {
            let offsetIs64 = entry.offset >= 0xFFFF_FFFF || (forceZIP64 && entry.offset > 0)
            var extra: [UInt8] = []
            if entry.zip64 { extra.le64(entry.uncompressedSize); extra.le64(entry.compressedSize) }
            if offsetIs64 { extra.le64(entry.offset) }
            directory.le32(0x0201_4b50)
            directory.le16(0x0300 | 45)  // made by: Unix, APPNOTE 4.5
            entry.appendSharedFields(to: &directory, versionNeeded: entry.zip64 || offsetIs64 ? 45 : 20)
            directory.le16(extra.isEmpty ? 0 : UInt16(4 + extra.count))
            directory.le16(0)  // comment
            directory.le16(0)  // disk
            directory.le16(0)  // internal attributes
            directory.le32(UInt32(0o100644) << 16)  // a regular file, rw-r--r--
            directory.le32(offsetIs64 ? 0xFFFF_FFFF : UInt32(entry.offset))
            directory += entry.name
            if !extra.isEmpty { directory.le16(1); directory.le16(UInt16(extra.count)); directory += extra }
        }
        let size = UInt64(directory.count)
        let count = UInt64(entries.count)
        let zip64End = forceZIP64 || start >= 0xFFFF_FFFF || size >= 0xFFFF_FFFF || count >= 0xFFFF
        var end: [UInt8] = []
        if zip64End {
            let recordOffset = start + size
            end.le32(0x0606_4b50)
            end.le64(44)  // the rest of the record
            end.le16(0x0300 | 45)
            end.le16(45)
            end.le32(0)
            end.le32(0)
            end.le64(count)
            end.le64(count)
            end.le64(size)
            end.le64(start)
            end.le32(0x0706_4b50)  // the locator
            end.le32(0)
            end.le64(recordOffset)
            end.le32(1)
        }
        end.le32(0x0605_4b50)
        end.le16(0)
        end.le16(0)
        end.le16(zip64End ? 0xFFFF : UInt16(count))
        end.le16(zip64End ? 0xFFFF : UInt16(count))
        end.le32(zip64End ? 0xFFFF_FFFF : UInt32(size))
        end.le32(zip64End ? 0xFFFF_FFFF : UInt32(start))
        end.le16(0)  // comment
        try append(directory)
        try append(end)
        guard fsync(descriptor) == 0 else { throw KernelError(.storage, "\(path): cannot flush to disk (\(String(cString: strerror(errno))))") }
        let closing = descriptor
        descriptor = -1
        guard close(closing) == 0 else { throw KernelError(.storage, "\(path): cannot close (\(String(cString: strerror(errno))))") }
    }

    /// Writes one entry: a local header, the deflated data from `produce` (which hands over the
    /// content chunk by chunk), then the local header again with the CRC-32 and sizes.
    private func addEntry(_ name: String, size: UInt64, modified: Date,
                          produce: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws -> String {
        guard names.insert(name).inserted else { throw KernelError(.storage, "\(path): \(name) is added twice") }
        let (dosTime, dosDate) = Self.dosTime(modified)
        var entry = Written(name: Array(name.utf8), method: 8, dosTime: dosTime, dosDate: dosDate, crc: 0,
                            compressedSize: 0, uncompressedSize: 0, offset: position,
                            zip64: size >= Self.zip64Threshold || (forceZIP64 && size > 0))
        try append(localHeader(entry))
        let deflater = try BackupDeflater(level: level, name: name)
        let sums = Sums()
        let group = DispatchGroup()
        let sink: (UnsafeRawBufferPointer) throws -> Void = { piece in
            try self.append(piece)
            entry.compressedSize += UInt64(piece.count)
        }
        try produce { bytes in
            let chunk = Chunk(bytes: bytes)
            hashing.async(group: group) {
                sums.sha.update(bufferPointer: chunk.bytes)
                sums.crc = BackupDeflater.crc32(sums.crc, chunk.bytes)
            }
            // The chunk's memory is the caller's until the checksums are done with it.
            defer { group.wait() }
            try deflater.deflate(bytes, finish: false, sink: sink)
            entry.uncompressedSize += UInt64(bytes.count)
        }
        try deflater.deflate(UnsafeRawBufferPointer(start: nil, count: 0), finish: true, sink: sink)
        guard entry.uncompressedSize == size else {
            throw KernelError(.storage, "\(name) changed size while it was archived (\(size) → \(entry.uncompressedSize) bytes)")
        }
        guard entry.zip64 || entry.compressedSize < 0xFFFF_FFFF else {
            throw KernelError(.storage, "\(name) grew past 4 GiB when compressed")
        }
        entry.crc = sums.crc
        try writeAt(entry.offset, localHeader(entry))
        entries.append(entry)
        return Digests.hex(sums.sha.finalize())
    }

    /// The local file header of `entry` (its CRC-32 and sizes are zero until known).
    private func localHeader(_ entry: Written) -> [UInt8] {
        var header: [UInt8] = []
        header.le32(0x0403_4b50)
        entry.appendSharedFields(to: &header, versionNeeded: entry.zip64 ? 45 : 20)
        header.le16(entry.zip64 ? 20 : 0)
        header += entry.name
        if entry.zip64 {
            header.le16(1)
            header.le16(16)
            header.le64(entry.uncompressedSize)
            header.le64(entry.compressedSize)
        }
        return header
    }

    /// MS-DOS time and date fields, in UTC (two-second resolution, from 1980).
    static func dosTime(_ date: Date) -> (time: UInt16, date: UInt16) {
        var calendar = Calendar(identifier: .gregorian)
        if let utc = TimeZone(secondsFromGMT: 0) { calendar.timeZone = utc }
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let year = min(max((c.year ?? 1980) - 1980, 0), 127)
        let time = UInt16((c.hour ?? 0) << 11 | (c.minute ?? 0) << 5 | (c.second ?? 0) / 2)
        return (time, UInt16(year << 9 | (c.month ?? 1) << 5 | (c.day ?? 1)))
    }

    private func append(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try append($0) }
    }

    /// Writes at the end of the archive.
    private func append(_ bytes: UnsafeRawBufferPointer) throws {
        try writeAt(position, bytes)
        position += UInt64(bytes.count)
    }

    private func writeAt(_ offset: UInt64, _ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try writeAt(offset, $0) }
    }

    /// Writes all of `bytes` at `offset`, however many calls it takes.
    private func writeAt(_ offset: UInt64, _ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        var done = 0
        while done < bytes.count {
            let n = pwrite(descriptor, base + done, bytes.count - done, off_t(offset) + off_t(done))
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw KernelError(.storage, "\(path): write failed (\(String(cString: strerror(errno))))") }
            guard n > 0 else { throw KernelError(.storage, "\(path): write failed (nothing written)") }
            done += n
        }
    }
}

private extension Array where Element == UInt8 {
    mutating func le16(_ value: UInt16) { append(UInt8(truncatingIfNeeded: value)); append(UInt8(truncatingIfNeeded: value >> 8)) }
    mutating func le32(_ value: UInt32) { for shift in stride(from: 0, to: 32, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) } }
    mutating func le64(_ value: UInt64) { for shift in stride(from: 0, to: 64, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) } }
}
