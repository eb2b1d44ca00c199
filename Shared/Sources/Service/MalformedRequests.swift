// A request whose head NIO's parser refuses (a request line or headers over the limits, bytes that
// are not HTTP) is answered with problem+json, as every other refusal, then the connection is
// closed: the parser cannot find where the next request would start. Errors inside a request
// (its body's framing) go on to the handler reading that request, which answers them itself.

import NIOCore
import NIOHTTP1

final class MalformedRequests: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// A head read whose body has not ended, or an answer begun and not ended.
    private var reading = false
    private var answering = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: reading = true
        case .body: break
        case .end: reading = false
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head: answering = true
        case .body: break
        case .end: answering = false
        }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parse = error as? HTTPParserError, !reading, !answering else {
            return context.fireErrorCaught(error)
        }
        let problem = Self.problem(for: parse)
        let (headers, body) = problem.rendered(requestId: "")
        var head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: problem.status.code))
        for field in headers { head.headers.add(name: field.name.rawName, value: field.value) }
        head.headers.replaceOrAdd(name: "Connection", value: "close")
        head.headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes))
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }

    static func problem(for error: HTTPParserError) -> Problem {
        switch error {
        case .headerOverflow:
            Problem(
                .init(code: 431, reasonPhrase: "Request Header Fields Too Large"), code: "request_head_too_large",
                detail: "The request line and headers together must stay under 80 KiB: send long lists in a POST body or in several requests.")
        default:
            Problem(.badRequest, code: "malformed_request", detail: "The request is not valid HTTP/1.1 (\(error)); the connection is closed.")
        }
    }
}
