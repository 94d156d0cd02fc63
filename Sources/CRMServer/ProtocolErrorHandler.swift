import NIOCore
import NIOHTTP1

/// Answers requests the HTTP parser refuses (a request line or headers over the limits, bad
/// syntax) with a problem+json 400 / 414 / 431 instead of an empty 400, then closes the
/// connection. The answer is written as raw bytes below the response encoder, since the
/// request never reached the router.
final class ProtocolErrorHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError,
              let encoder = try? context.pipeline.syncOperations.context(handlerType: HTTPResponseEncoder.self) else {
            context.fireErrorCaught(error)
            return
        }
        let problem: APIError
        switch parserError {
        case .headerOverflow:
            problem = APIError(.init(code: 431, reasonPhrase: "Request Header Fields Too Large"),
                               "the request line or headers are too large (a URL or header of that size is never needed)", type: "too-large")
        case .invalidURL:
            problem = APIError(.badRequest, "the request URL is not valid")
        default:
            problem = APIError(.badRequest, "the request is not valid HTTP/1.1")
        }
        let body = problem.body
        let head = "HTTP/1.1 \(problem.status.code) \(problem.status.reasonPhrase)\r\nContent-Type: application/problem+json\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
        var buffer = context.channel.allocator.buffer(capacity: head.utf8.count + body.utf8.count)
        buffer.writeString(head)
        buffer.writeString(body)
        let channel = context.channel
        encoder.writeAndFlush(NIOAny(buffer)).whenComplete { _ in channel.close(promise: nil) }
    }
}
