// How long a client may take: to send a request's head once its first byte arrived, to send its
// body once the head arrived, and to start its next request on an idle keep-alive connection. A
// client past a deadline gets 408 (when nothing was answered yet) and the connection is closed, so
// slow or silent clients (slowloris) cannot hold connections open. While the service answers no
// deadline runs: upstream and statement timeouts bound that.

import NIOCore
import NIOHTTP1

public struct RequestTimeouts: Sendable, Equatable {
    /// From a request's first byte to the end of its head.
    public var head: Duration
    /// From the end of the head to the end of the body.
    public var body: Duration
    /// From a connection's start, or the end of its last answer, to the next request's first byte.
    public var idle: Duration

    public init(head: Duration = .seconds(10), body: Duration = .seconds(30), idle: Duration = .seconds(60)) {
        self.head = head
        self.body = body
        self.idle = idle
    }
}

/// One connection's deadlines, fed by two handlers: `bytes` ahead of the HTTP decoder (a request's
/// first byte) and `parts` behind it (heads, ends, answers). Both run on the connection's event loop.
final class RequestDeadlines {
    enum Phase { case idle, head, body, answering }

    let timeouts: RequestTimeouts
    private var phase = Phase.idle
    private var deadline: NIODeadline?
    private var timer: (at: NIODeadline, task: Scheduled<Void>)?
    /// Requests read whose answer has not ended (pipelining can make it more than one).
    private var unanswered = 0
    private var answerStarted = false
    private var context: ChannelHandlerContext?

    init(_ timeouts: RequestTimeouts) {
        self.timeouts = timeouts
    }

    /// The two handlers: `bytes` goes first in the pipeline, `parts` right after the HTTP decoder.
    var handlers: (bytes: Bytes, parts: Parts) { (Bytes(self), Parts(self)) }

    private func enter(_ next: Phase, for limit: Duration?) {
        phase = next
        deadline = limit.map { .now() + TimeAmount($0) }
        arm()
    }

    /// Keeps one timer: moved earlier when the deadline is, left alone (and checked when it fires) when later.
    private func arm() {
        guard let context, let deadline else { return }
        if let timer {
            if timer.at <= deadline { return }
            timer.task.cancel()
        }
        let task = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            fire()
        }
        timer = (deadline, task)
    }

    private func fire() {
        guard let context, let deadline else { return }
        guard deadline <= .now() else { return arm() }
        self.deadline = nil
        if phase != .idle && !answerStarted {
            var head = HTTPResponseHead(version: .http1_1, status: .requestTimeout)
            head.headers.add(name: "Connection", value: "close")
            head.headers.add(name: "Content-Length", value: "0")
            context.write(NIOAny(HTTPServerResponsePart.head(head)), promise: nil)
            context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: nil)
        }
        context.close(promise: nil)
    }

    func started(_ context: ChannelHandlerContext) {
        self.context = context
        enter(.idle, for: timeouts.idle)
    }

    func stopped() {
        timer?.task.cancel()
        timer = nil
        context = nil
    }

    func bytesArrived() {
        if phase == .idle && unanswered == 0 { enter(.head, for: timeouts.head) }
    }

    func read(_ part: HTTPServerRequestPart) {
        switch part {
        case .head:
            unanswered += 1
            answerStarted = false
            enter(.body, for: timeouts.body)
        case .body: break
        case .end: enter(.answering, for: nil)
        }
    }

    func wrote(_ part: HTTPServerResponsePart) {
        switch part {
        case .head: answerStarted = true
        case .body: break
        case .end:
            unanswered = max(0, unanswered - 1)
            // A pipelined request read meanwhile keeps its own phase.
            if unanswered == 0 && phase == .answering { enter(.idle, for: timeouts.idle) }
        }
    }

    /// Ahead of the HTTP decoder: tells the first byte of a request.
    final class Bytes: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer
        let deadlines: RequestDeadlines
        init(_ deadlines: RequestDeadlines) { self.deadlines = deadlines }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            deadlines.bytesArrived()
            context.fireChannelRead(data)
        }
    }

    /// Behind the HTTP decoder: tells heads, ends and answers.
    final class Parts: ChannelDuplexHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias InboundOut = HTTPServerRequestPart
        typealias OutboundIn = HTTPServerResponsePart
        typealias OutboundOut = HTTPServerResponsePart
        let deadlines: RequestDeadlines
        init(_ deadlines: RequestDeadlines) { self.deadlines = deadlines }

        func handlerAdded(context: ChannelHandlerContext) { deadlines.started(context) }
        func handlerRemoved(context: ChannelHandlerContext) { deadlines.stopped() }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            deadlines.read(unwrapInboundIn(data))
            context.fireChannelRead(data)
        }

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            deadlines.wrote(unwrapOutboundIn(data))
            context.write(data, promise: promise)
        }

        func channelInactive(context: ChannelHandlerContext) {
            deadlines.stopped()
            context.fireChannelInactive()
        }
    }
}
