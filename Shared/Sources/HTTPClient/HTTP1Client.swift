// The platform's HTTP/1.1 client: between our own services (and ClickHouse's HTTP interface) and
// out of the platform (webhooks to distributors, real suppliers, over TLS: TLSClient.swift).
// Keep-alive connections pooled per host, straight on NIO's pipeline; no redirects, no proxies,
// whole bodies in memory, a deadline on every call.

import HTTPTypes
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

public final class HTTP1Client: Service, Sendable {
    public struct Response: Sendable {
        public var status: HTTPResponse.Status
        public var headers: HTTPFields
        public var body: ByteBuffer

        public init(status: HTTPResponse.Status, headers: HTTPFields, body: ByteBuffer) {
            self.status = status
            self.headers = headers
            self.body = body
        }
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case invalidURL(String), connect(String), timeout, closed, responseTooLarge

        public var description: String {
            switch self {
            case .invalidURL(let url): "not an http:// or https:// URL: \(url)"
            case .connect(let reason): "cannot connect: \(reason)"
            case .timeout: "no answer in time"
            case .closed: "the connection closed before the response ended"
            case .responseTooLarge: "the response is larger than allowed"
            }
        }
    }

    /// One client for a process's internal calls.
    public static let shared = HTTP1Client()

    public let group: any EventLoopGroup
    let connectTimeout: TimeAmount
    let maxIdlePerHost: Int
    let maxResponseBytes: Int
    /// For https:// calls: whom to trust (nil: the system's trust store).
    let trust: TLSTrust?
    private let idle = NIOLockedValueBox<[String: [PooledConnection]]>([:])

    public init(
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, connectTimeout: Duration = .seconds(2), maxIdlePerHost: Int = 64,
        maxResponseBytes: Int = 16 << 20, trust: TLSTrust? = nil
    ) {
        self.group = group
        self.trust = trust
        self.connectTimeout = TimeAmount(connectTimeout)
        self.maxIdlePerHost = maxIdlePerHost
        self.maxResponseBytes = maxResponseBytes
    }

    /// Sends one request and returns the whole response; `timeout` covers connecting, sending and
    /// receiving. Not retried, except a GET or HEAD whose reused keep-alive connection turns out to
    /// have been closed by the server while idle: that one is sent once more on a new connection.
    public func execute(
        _ method: HTTPRequest.Method, _ url: String, headers: HTTPFields = [:], body: ByteBuffer? = nil, timeout: Duration
    ) async throws -> Response {
        try await execute(method, url, headers: headers, body: body, timeout: timeout, on: group.any()).get()
    }

    /// The same, for a caller on an event loop that is not in a task (a channel handler): on `loop`'s
    /// connections when called there, so the call never changes threads.
    public func execute(
        _ method: HTTPRequest.Method, _ url: String, headers: HTTPFields = [:], body: ByteBuffer? = nil, timeout: Duration, on loop: any EventLoop
    ) -> EventLoopFuture<Response> {
        guard let target = Target(url) else { return loop.makeFailedFuture(Failure.invalidURL(url)) }
        return execute(method, target, headers: headers, body: body, timeout: timeout, on: loop)
    }

    /// The same to `origin` (parsed once), at `pathAndQuery` (`/hotels?city=Paris`).
    public func execute(
        _ method: HTTPRequest.Method, _ origin: Origin, _ pathAndQuery: String, headers: HTTPFields = [:], body: ByteBuffer? = nil, timeout: Duration,
        on loop: any EventLoop
    ) -> EventLoopFuture<Response> {
        guard pathAndQuery.hasPrefix("/"), Target.isSafe(pathAndQuery) else { return loop.makeFailedFuture(Failure.invalidURL(pathAndQuery)) }
        return execute(method, Target(origin: origin, pathAndQuery: origin.basePath + pathAndQuery), headers: headers, body: body, timeout: timeout, on: loop)
    }

    private func execute(
        _ method: HTTPRequest.Method, _ target: Target, headers: HTTPFields, body: ByteBuffer?, timeout: Duration, on loop: any EventLoop
    ) -> EventLoopFuture<Response> {
        let deadline = NIODeadline.now() + TimeAmount(timeout)
        var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method.rawValue), uri: target.pathAndQuery)
        head.headers.add(name: "Host", value: target.origin.hostHeader)
        for field in headers { head.headers.add(name: field.name.rawName, value: field.value) }
        if let body { head.headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes)) }
        let request = head
        if let pooled = checkout(target.origin, on: loop) {
            return send(request, body: body, on: pooled, target.origin, deadline: deadline).flatMapError { error in
                guard error as? Failure == .closed, method == .get || method == .head else { return loop.makeFailedFuture(error) }
                return self.connect(target.origin, on: loop, deadline: deadline).flatMap { self.send(request, body: body, on: $0, target.origin, deadline: deadline) }
            }
        }
        return connect(target.origin, on: loop, deadline: deadline).flatMap { self.send(request, body: body, on: $0, target.origin, deadline: deadline) }
    }

    private func send(_ head: HTTPRequestHead, body: ByteBuffer?, on connection: PooledConnection, _ target: Origin, deadline: NIODeadline) -> EventLoopFuture<Response> {
        let answered = connection.channel.eventLoop.makePromise(of: Response.self)
        connection.send(head, body: body, deadline: deadline, limit: maxResponseBytes).whenComplete { result in
            switch result {
            case .success(let response):
                if response.keepAlive { self.checkin(connection, target) } else { connection.channel.close(promise: nil) }
                answered.succeed(response.response)
            case .failure(let error):
                connection.channel.close(promise: nil)
                answered.fail(error)
            }
        }
        return answered.futureResult
    }

    /// Keeps the pool until the service group shuts down, then closes it.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Closes the idle connections (in-flight requests finish on theirs).
    public func shutdown() async {
        let all = idle.withLockedValue { pools in
            defer { pools = [:] }
            return pools.values.flatMap { $0 }
        }
        for connection in all { try? await connection.channel.close() }
    }

    /// How many idle, still open connections the pool keeps for `host:port`.
    func idleConnections(to key: String) -> Int { idle.withLockedValue { $0[key]?.filter(\.channel.isActive).count ?? 0 } }

    /// An idle connection to `target` on `loop` when called there: the request never changes
    /// threads for its upstream call (on a busy machine every hand-off to another thread waits for
    /// the scheduler, and shows in the tail latency). Off the event loops, any idle connection.
    private func checkout(_ target: Origin, on loop: any EventLoop) -> PooledConnection? {
        let anyLoop = !loop.inEventLoop
        while let pooled = idle.withLockedValue({ pools -> PooledConnection? in
            guard var connections = pools[target.key],
                let index = anyLoop ? connections.indices.last : connections.lastIndex(where: { $0.channel.eventLoop === loop })
            else { return nil }
            let chosen = connections.remove(at: index)
            pools[target.key] = connections
            return chosen
        }) {
            if pooled.channel.isActive { return pooled }
        }
        return nil
    }

    /// A new connection on `loop` (verified first, for https).
    private func connect(_ target: Origin, on loop: any EventLoop, deadline: NIODeadline) -> EventLoopFuture<PooledConnection> {
        let remaining = deadline - .now()
        guard remaining > .zero else { return loop.makeFailedFuture(Failure.timeout) }
        let collector = ResponseCollector()
        let tls: TLSClientHandler?
        do { tls = try target.secure ? makeTLS(for: target, on: loop) : nil } catch { return loop.makeFailedFuture(error) }
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(min(connectTimeout, remaining))
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(tls) }
                    // Header names and values arrive as HTTPFields, which only holds legal ones:
                    // checking them again on the way out cost the gateway 2% of its CPU.
                    try channel.pipeline.syncOperations.addHTTPClientHandlers(enableOutboundHeaderValidation: false)
                    try channel.pipeline.syncOperations.addHandler(collector)
                }
            }
        return bootstrap.connect(host: target.host, port: target.port)
            .flatMapErrorThrowing { error in
                // The caller's deadline ran out while connecting: that is a timeout, whatever NIO calls it.
                if NIODeadline.now() >= deadline { throw Failure.timeout }
                throw Failure.connect("\(target.host):\(target.port): \(error)")
            }
            .flatMap { [handshake = tls?.handshake] channel in
                guard let handshake else { return channel.eventLoop.makeSucceededFuture(PooledConnection(channel: channel, collector: collector)) }
                return self.verified(handshake, on: channel, deadline: deadline).map { PooledConnection(channel: channel, collector: collector) }
            }
    }

    private func makeTLS(for target: Origin, on loop: any EventLoop) throws -> TLSClientHandler {
        do {
            return try TLSClientHandler(trust: trust ?? TLSTrust.system.get(), serverName: target.host, handshake: loop.makePromise())
        } catch {
            throw Failure.connect("\(target.host):\(target.port): \(error)")
        }
    }

    /// Waits for the TLS handshake, within the deadline: a request goes out only on a verified
    /// connection, so a failed handshake is a failure to connect (nothing was sent).
    private func verified(_ handshake: EventLoopPromise<Void>, on channel: any Channel, deadline: NIODeadline) -> EventLoopFuture<Void> {
        let timer = channel.eventLoop.scheduleTask(deadline: deadline) { handshake.fail(Failure.timeout) }
        return handshake.futureResult.flatMapErrorThrowing { error in
            channel.close(promise: nil)
            throw error as? Failure ?? Failure.connect("\(channel.remoteAddress.map { "\($0)" } ?? "the server"): \(error)")
        }.always { _ in timer.cancel() }
    }

    private func checkin(_ connection: PooledConnection, _ target: Origin) {
        let kept = idle.withLockedValue { pools in
            guard pools[target.key, default: []].count < maxIdlePerHost else { return false }
            pools[target.key, default: []].append(connection)
            return true
        }
        if !kept { connection.channel.close(promise: nil) }
    }

    /// Where requests go: scheme, host, port and a base path, parsed once (`http://query-engine:8080`),
    /// for a caller that sends many requests there (the gateway, to each service).
    public struct Origin: Sendable {
        let secure: Bool
        let host: String
        let port: Int
        /// What every request's path is put under ("" or like `/v2`).
        let basePath: String
        /// The connection pool's key.
        let key: String
        let hostHeader: String

        /// A base URL without a query; nil when it is not one.
        public init?(_ url: String) {
            guard let target = Target(url), !target.pathAndQuery.contains("?") else { return nil }
            var base = target.pathAndQuery
            while base.hasSuffix("/") { base.removeLast() }
            self.init(secure: target.origin.secure, host: target.origin.host, port: target.origin.port, basePath: base)
        }

        init(secure: Bool, host: String, port: Int, basePath: String = "") {
            self.secure = secure
            self.host = host
            self.port = port
            self.basePath = basePath
            key = secure ? "https://\(host):\(port)" : "\(host):\(port)"
            hostHeader = port == (secure ? 443 : 80) ? host : "\(host):\(port)"
        }
    }

    struct Target {
        var origin: Origin
        var pathAndQuery: String

        static func isHostByte(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "["), UInt8(ascii: "]"):
                true
            default: false
            }
        }

        /// Nothing that would end the request line or a header early.
        static func isSafe(_ pathAndQuery: some StringProtocol) -> Bool {
            !pathAndQuery.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F })
        }

        init?(_ url: String) {
            let secure: Bool
            if url.hasPrefix("http://") { secure = false } else if url.hasPrefix("https://") { secure = true } else { return nil }
            let rest = url.dropFirst(secure ? "https://".count : "http://".count)
            let authority = rest.prefix { $0 != "/" && $0 != "?" }
            let path = rest.dropFirst(authority.count)
            let parts = authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard let host = parts.first, !host.isEmpty, host.utf8.allSatisfy(Self.isHostByte), Self.isSafe(path) else { return nil }
            let port = parts.count == 2 ? Int(parts[1]) : (secure ? 443 : 80)
            guard let port, (1...65535).contains(port) else { return nil }
            origin = Origin(secure: secure, host: String(host), port: port)
            pathAndQuery = path.isEmpty ? "/" : (path.first == "?" ? "/" + path : String(path))
        }

        init(origin: Origin, pathAndQuery: String) {
            self.origin = origin
            self.pathAndQuery = pathAndQuery
        }
    }
}

/// A keep-alive connection and the handler that collects its responses, one at a time.
struct PooledConnection: Sendable {
    let channel: any Channel
    let collector: ResponseCollector

    /// Sends on the connection's event loop: at once when already there (the usual case: the pool
    /// prefers the caller's loop), else handed over.
    func send(_ head: HTTPRequestHead, body: ByteBuffer?, deadline: NIODeadline, limit: Int) -> EventLoopFuture<CollectedResponse> {
        let loop = channel.eventLoop
        guard loop.inEventLoop else { return loop.flatSubmit { self.sendOnLoop(head, body: body, deadline: deadline, limit: limit) } }
        return sendOnLoop(head, body: body, deadline: deadline, limit: limit)
    }

    private func sendOnLoop(_ head: HTTPRequestHead, body: ByteBuffer?, deadline: NIODeadline, limit: Int) -> EventLoopFuture<CollectedResponse> {
        let channel = channel, collector = collector
        let promise = channel.eventLoop.makePromise(of: CollectedResponse.self)
        collector.begin(promise, limit: limit)
        let timeout = channel.eventLoop.scheduleTask(deadline: deadline) {
            collector.fail(HTTP1Client.Failure.timeout)
            channel.close(promise: nil)
        }
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if let body { channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil) }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil)).whenFailure { _ in collector.fail(HTTP1Client.Failure.closed) }
        promise.futureResult.whenComplete { _ in timeout.cancel() }
        return promise.futureResult
    }
}

struct CollectedResponse: Sendable {
    var response: HTTP1Client.Response
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
            var fields = HTTPFields()
            for (name, value) in head.headers {
                if let field = HTTPField.Name(name) { fields.append(HTTPField(name: field, value: value)) }
            }
            let response = HTTP1Client.Response(status: .init(code: Int(head.status.code)), headers: fields, body: body)
            self.promise = nil
            promise.succeed(CollectedResponse(response: response, keepAlive: head.isKeepAlive))
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
