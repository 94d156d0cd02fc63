import CRMKernel
import CRMZlib

/// Raw deflate (ZIP method 8) of a stream of chunks at a chosen zlib level, and zlib's CRC-32.
///
/// The backup writer uses it instead of ZIPFoundation's compressor, whose level is fixed at
/// zlib's default (6): on a large database level 1 is several times faster for about a quarter
/// more bytes.
final class BackupDeflater {
    /// zlib keeps a pointer back to its stream, so the stream lives at one address.
    private let stream: UnsafeMutablePointer<z_stream>
    private var output: [UInt8]
    /// The archive entry being compressed, for error messages.
    private let name: String

    /// A compressor at `level` (1 fastest … 9 smallest) for the entry `name`; `outputSize`
    /// (at least 1) is the piece handed to the sink.
    init(level: Int32, name: String, outputSize: Int = 1 << 20) throws {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // Negative window bits: a raw deflate stream with no zlib header, as ZIP stores it.
        let rc = deflateInit2_(stream, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY,
                               ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            stream.deallocate()
            throw KernelError(.storage, "\(name): cannot start the compressor (zlib \(rc))")
        }
        self.stream = stream
        self.name = name
        output = [UInt8](repeating: 0, count: max(outputSize, 1))
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Compresses all of `input` and hands every full output piece to `sink`; with `finish`, ends
    /// the stream and hands over the rest.
    func deflate(_ input: UnsafeRawBufferPointer, finish: Bool, sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        let flush = finish ? Z_FINISH : Z_NO_FLUSH
        let capacity = output.count
        try output.withUnsafeMutableBytes { out in
            guard let start = out.baseAddress else { return }
            let base = start.assumingMemoryBound(to: Bytef.self)
            while true {
                stream.pointee.next_out = base
                stream.pointee.avail_out = uInt(capacity)
                let rc = CRMZlib.deflate(stream, flush)
                guard rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR else {
                    throw KernelError(.storage, "\(name): compression failed (zlib \(rc))")
                }
                let produced = capacity - Int(stream.pointee.avail_out)
                if produced > 0 { try sink(UnsafeRawBufferPointer(start: base, count: produced)) }
                if finish ? rc == Z_STREAM_END : (stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0) { return }
            }
        }
    }

    /// zlib's CRC-32 (the ZIP checksum) of `bytes`, continuing from `crc`.
    static func crc32(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        return UInt32(CRMZlib.crc32(uLong(crc), base.assumingMemoryBound(to: Bytef.self), uInt(bytes.count)))
    }
}
