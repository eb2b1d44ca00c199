// The gateway's hot path without a task: an authenticated GET to a live distributor route is
// checked, admitted and proxied by this channel handler, ahead of Hummingbird's router, on the
// connection's event loop with futures (on these cores a router answer costs ~130 µs of CPU before
// it does anything, a channel handler's ~65). It runs what the router's middleware runs
// (Authenticator, RateLimiter, UpstreamProxy.call, AccessLog), so both answer alike. Everything else
// goes on to the router unchanged: other methods, admin and gateway routes, planned routes, a
// request with a body, `Expect`, `Upgrade` or `Connection: close`, and a request whose token does not
// pass (the router answers its 401). One exchange at a time per connection: a pipelined request
// waits for the answer before it; reading stops while one waits. It sits before the conversion to
// HTTP types (PlatformHTTP1Channel): its requests and answers stay in NIO's HTTP/1 parts, the
// upstream's headers go on as parsed.

import HTTPTypes
import NIOCore
import NIOHTTP1
import Shared

final class FastLane: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case idle
        /// A request this lane takes, until its end arrives.
        case reading(HTTPRequestHead, UpstreamRoute, ContinuousClock.Instant)
        /// Its answer is on the way.
        case answering
        /// A request for the router, until both it and the router's answer have ended.
        case passing(requestEnded: Bool, responseEnded: Bool)
    }

    private let lane: FastLaneRoutes
    private var state = State.idle
    /// Parts of pipelined requests, held until the exchange before them is over.
    private var waiting: [HTTPServerRequestPart] = []
    private var readHeld = false
    private var quiesce: Any?

    init(_ lane: FastLaneRoutes) {
        self.lane = lane
    }

    // MARK: requests

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        take(unwrapInboundIn(data), context)
    }

    private func take(_ part: HTTPServerRequestPart, _ context: ChannelHandlerContext) {
        switch state {
        case .answering, .passing(requestEnded: true, _):
            waiting.append(part)
        case .passing(requestEnded: false, let responseEnded):
            context.fireChannelRead(wrapInboundOut(part))
            if case .end = part { passed(context, requestEnded: true, responseEnded: responseEnded) }
        case .reading(let request, let route, let started):
            guard case .end = part else {
                // Not the bodiless GET it looked like: the router takes it from the start.
                hand(request, context)
                return take(part, context)
            }
            answer(request, route, started: started, context)
        case .idle:
            guard case .head(let request) = part else { return context.fireChannelRead(wrapInboundOut(part)) }
            if let route = lane.route(for: request) {
                state = .reading(request, route, .now)
            } else {
                state = .passing(requestEnded: false, responseEnded: false)
                context.fireChannelRead(wrapInboundOut(part))
            }
        }
    }

    /// Gives the router a request whose head this lane held.
    private func hand(_ request: HTTPRequestHead, _ context: ChannelHandlerContext) {
        state = .passing(requestEnded: false, responseEnded: false)
        context.fireChannelRead(wrapInboundOut(.head(request)))
    }

    private func answer(_ request: HTTPRequestHead, _ route: UpstreamRoute, started: ContinuousClock.Instant, _ context: ChannelHandlerContext) {
        let headers = request.headers
        guard let caller = try? lane.authenticator.caller(authorization: headers.first(name: HTTPField.Name.authorization.rawName)) else {
            hand(request, context)
            return take(.end(nil), context)
        }
        state = .answering
        lane.answered.increment()
        let requestId = RequestId.accepting(headers.first(name: HTTPField.Name.requestId.rawName)) ?? RequestId.generate()
        let trace = TraceContext.continuing(headers.first(name: HTTPField.Name.traceparent.rawName)) ?? .root()
        let target = FastLaneRoutes.split(request.uri)
        let loop = context.eventLoop, lane = self.lane
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        /// The answer, with the rate-limit counters: the upstream's, or a problem.
        @Sendable func finish(_ result: Result<UpstreamAnswer, any Error>, limits: [(name: String, value: String)]) {
            let (handler, context) = bound.value
            var answer: UpstreamAnswer, failure: String?
            switch result {
            case .success(let upstream):
                (answer, failure) = (upstream, nil)
            case .failure(let error):
                let problem = Problem.from(error)  // as the router's ObservationMiddleware does
                let (headers, body) = problem.rendered(requestId: requestId)
                answer = UpstreamAnswer(
                    status: HTTPResponseStatus(statusCode: problem.status.code), headers: headers.map { ($0.name.rawName, $0.value) }, body: body)
                failure = problem.status.code >= 500 ? String(reflecting: error) : nil
            }
            answer.headers.append(contentsOf: limits)
            handler.send(answer, requestId: requestId, trace: trace, context)
            AccessLog.record(
                lane.metrics, logger: lane.logger, method: "GET", route: FastLaneRoutes.routeLabel, path: String(target.path), status: Int(answer.status.code),
                duration: started.duration(to: .now), failure: failure, requestId: requestId, trace: trace)
            handler.state = .idle
            handler.resume(context)
        }
        lane.limiter.admit(caller.tenantId, limit: lane.limiter.limit(for: caller.tenantId), on: loop).whenComplete { admission in
            // (The limiter counts in memory when Redis fails; it does not fail itself.) A refusal carries the counters.
            let decision: RateDecision
            switch admission {
            case .success(let admitted): decision = admitted
            case .failure(let error): return finish(.failure(error), limits: [])
            }
            if let refusal = decision.refusal { return finish(.failure(refusal), limits: []) }
            lane.proxy.call(
                .get, route: route, path: target.path, query: target.query, headers: UpstreamProxy.forwarded(headers), body: nil, caller: caller,
                requestId: requestId, trace: trace, clientIP: context.channel.remoteAddress?.ipAddress, on: loop
            ).hop(to: loop).whenComplete { finish($0, limits: decision.counters.map { ($0.name.rawName, $0.value) }) }
        }
    }

    private func send(_ answer: UpstreamAnswer, requestId: String, trace: TraceContext, _ context: ChannelHandlerContext) {
        // The upstream's hop and identity headers, Date and Server are gone (UpstreamProxy.isDropped),
        // a problem has none of these: appended, not searched for.
        var headers = answer.headers
        headers.append((HTTPField.Name.requestId.rawName, requestId))
        headers.append((HTTPField.Name.traceparent.rawName, trace.traceparent))
        headers.append(("Content-Length", String(answer.body.readableBytes)))
        headers.append(("Date", HTTPDate.now))
        headers.append(("Server", lane.serverName))
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: answer.status, headers: HTTPHeaders(headers)))), promise: nil)
        if answer.body.readableBytes > 0 { context.write(wrapOutboundOut(.body(.byteBuffer(answer.body))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    // MARK: the router's answers, and what waits for them

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
        guard case .passing(let requestEnded, responseEnded: false) = state, case .end = unwrapOutboundIn(data) else { return }
        passed(context, requestEnded: requestEnded, responseEnded: true)
    }

    private func passed(_ context: ChannelHandlerContext, requestEnded: Bool, responseEnded: Bool) {
        state = .passing(requestEnded: requestEnded, responseEnded: responseEnded)
        if requestEnded && responseEnded {
            state = .idle
            resume(context)
        }
    }

    /// After an exchange: the parts that waited, then reading again; a shutdown that waited goes on.
    private func resume(_ context: ChannelHandlerContext) {
        let hadWaiting = !waiting.isEmpty
        while let part = waiting.first, accepting {
            waiting.removeFirst()
            take(part, context)
        }
        // What was handed to the router now (not in a read of the socket) is delivered at once.
        if hadWaiting { context.fireChannelReadComplete() }
        if readHeld && (accepting || waiting.isEmpty) {
            readHeld = false
            context.read()
        }
        if case .idle = state, let event = quiesce {
            quiesce = nil
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// Whether this lane holds a request or its answer is on the way.
    private var ownExchange: Bool {
        switch state {
        case .reading, .answering: true
        case .idle, .passing: false
        }
    }

    /// Whether a part can be taken now rather than wait.
    private var accepting: Bool {
        switch state {
        case .answering, .passing(requestEnded: true, _): false
        case .idle, .reading, .passing(requestEnded: false, _): true
        }
    }

    func read(context: ChannelHandlerContext) {
        guard accepting || waiting.isEmpty else {
            readHeld = true
            return
        }
        context.read()
    }

    /// A shutdown waits for this lane's exchange in flight (the router's handlers do not know of it).
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, ownExchange {
            quiesce = event
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
