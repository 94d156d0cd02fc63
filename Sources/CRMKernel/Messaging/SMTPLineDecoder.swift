import NIOCore

/// Splits an SMTP server's byte stream into reply lines (without the line ending).
struct SMTPLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = String
    /// Longest reply line accepted (RFC 5321 allows 512).
    static let maxLine = 4096

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let view = buffer.readableBytesView
        guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
            if view.count > Self.maxLine { throw MessageDeliveryError("SMTP 服务器回复行过长", permanent: false) }
            return .needMoreData
        }
        let length = view.distance(from: view.startIndex, to: newline) + 1
        guard var line = buffer.readString(length: length) else { return .needMoreData }
        while let last = line.last, last.isNewline { line.removeLast() }
        context.fireChannelRead(wrapInboundOut(line))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}

/// One SMTP reply: its code and its text lines.
struct SMTPReply: Sendable {
    var code: Int
    var lines: [String]

    var text: String { "\(code) " + lines.joined(separator: " / ") }
    var isPositive: Bool { (200..<400).contains(code) }
}
