// One keep-alive connection of HTTP1Client: the request written as bytes, the answer read by NIO's
// parser and collected whole, one exchange at a time.

import NIOCore
import NIOHTTP1

/// A request ready to go: its head as bytes (HTTP1Request.swift) and its body.
struct OutgoingRequest: Sendable {
    /// For the parser: an answer to HEAD has no body whatever its Content-Length says.
    let method: HTTPMethod
    let head: ByteBuffer
    let body: ByteBuffer?
}

/// A keep-alive connection and the handler that collects its responses, one at a time.
struct PooledConnection: Sendable {
    let channel: any Channel
    let collector: ResponseCollector
    /// When it went back to the pool.
    var idleSince = NIODeadline.now()

    /// Sends on the connection's event loop: at once when already there (the usual case: the pool
    /// prefers the caller's loop), else handed over.
    func send(_ request: OutgoingRequest, deadline: NIODeadline, limit: Int) -> EventLoopFuture<CollectedResponse> {
        let loop = channel.eventLoop
        guard loop.inEventLoop else { return loop.flatSubmit { self.sendOnLoop(request, deadline: deadline, limit: limit) } }
        return sendOnLoop(request, deadline: deadline, limit: limit)
    }

    private func sendOnLoop(_ request: OutgoingRequest, deadline: NIODeadline, limit: Int) -> EventLoopFuture<CollectedResponse> {
        let channel = channel, collector = collector
        let promise = channel.eventLoop.makePromise(of: CollectedResponse.self)
        collector.begin(promise, limit: limit)
        let timeout = channel.eventLoop.scheduleTask(deadline: deadline) {
            collector.fail(HTTP1Client.Failure.timeout)
            channel.close(promise: nil)
        }
        // The parser sees the method in a head with nothing else (RequestBytes drops it); the bytes follow.
        channel.write(HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: request.method, uri: "")), promise: nil)
        let last: ByteBuffer
        if let body = request.body {
            channel.write(HTTPClientRequestPart.body(.byteBuffer(request.head)), promise: nil)
            last = body
        } else {
            last = request.head
        }
        channel.writeAndFlush(HTTPClientRequestPart.body(.byteBuffer(last))).whenFailure { _ in collector.fail(HTTP1Client.Failure.closed) }
        promise.futureResult.whenComplete { _ in timeout.cancel() }
        return promise.futureResult
    }
}

/// Between the socket and the response parser: passes a request's bytes on, and drops the head
/// and end parts (the parser above has seen the head's method).
final class RequestBytes: ChannelOutboundHandler, Sendable {
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = IOData

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .body(let bytes): context.write(wrapOutboundOut(bytes), promise: promise)
        case .head, .end: promise?.succeed(())
        }
    }
}

struct CollectedResponse: Sendable {
    var response: HTTP1Client.WireResponse
    var keepAlive: Bool
}

/// Lives on its channel's event loop; every method is called there.
final class ResponseCollector: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart

    private var promise: EventLoopPromise<CollectedResponse>?
    private var head: HTTPResponseHead?
    private var body = ByteBuffer()
    private var limit = 0

    func begin(_ promise: EventLoopPromise<CollectedResponse>, limit: Int) {
        self.promise = promise
        self.limit = limit
        head = nil
        body = ByteBuffer()
    }

    func fail(_ error: any Error) {
        promise?.fail(error)
        promise = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let received):
            head = received
        case .body(var chunk):
            guard body.readableBytes + chunk.readableBytes <= limit else {
                fail(HTTP1Client.Failure.responseTooLarge)
                context.close(promise: nil)
                return
            }
            // Most responses come in one chunk: kept as it is, not copied.
            if body.readableBytes == 0 { body = chunk } else { body.writeBuffer(&chunk) }
        case .end:
            guard let head, let promise else { return }
            self.promise = nil
            promise.succeed(CollectedResponse(response: HTTP1Client.WireResponse(head: head, body: body), keepAlive: head.isKeepAlive))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(HTTP1Client.Failure.closed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error)
        context.close(promise: nil)
    }
}
