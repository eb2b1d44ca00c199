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

        /// The answer with its header names checked (a name that is not a token is left out).
        init(_ wire: WireResponse) {
            self.init(status: .init(code: Int(wire.head.status.code)), headers: HTTPFields(parsed: wire.head.headers), body: wire.body)
        }
    }

    /// A response as NIO's parser read it.
    public struct WireResponse: Sendable {
        public var head: HTTPResponseHead
        public var body: ByteBuffer
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
    /// How long an idle connection is reused: well under the services' idle timeout (60 s by
    /// default), so a request is not sent on a connection the server is closing.
    let maxIdleTime: TimeAmount
    /// For https:// calls: whom to trust (nil: the system's trust store).
    let trust: TLSTrust?
    private let idle = NIOLockedValueBox<[String: [PooledConnection]]>([:])

    public init(
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, connectTimeout: Duration = .seconds(2), maxIdlePerHost: Int = 64,
        maxResponseBytes: Int = 16 << 20, maxIdleTime: Duration = .seconds(20), trust: TLSTrust? = nil
    ) {
        self.group = group
        self.maxIdleTime = TimeAmount(maxIdleTime)
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
        return exchange(method, target, HeaderLines(headers), body: body, timeout: timeout, on: loop).map(Response.init)
    }

    /// The same to `origin` (parsed once), at `pathAndQuery` (`/hotels?city=Paris`).
    public func execute(
        _ method: HTTPRequest.Method, _ origin: Origin, _ pathAndQuery: String, headers: HTTPFields = [:], body: ByteBuffer? = nil, timeout: Duration,
        on loop: any EventLoop
    ) -> EventLoopFuture<Response> {
        forward(method, origin, pathAndQuery, headers: HeaderLines(headers), body: body, timeout: timeout, on: loop).map(Response.init)
    }

    /// For a proxy: header lines it put together, and the answer as the parser read it (no
    /// conversion to HTTPFields for a caller that passes it on).
    public func forward(
        _ method: HTTPRequest.Method, _ origin: Origin, _ pathAndQuery: String, headers: HeaderLines, body: ByteBuffer? = nil, timeout: Duration,
        on loop: any EventLoop
    ) -> EventLoopFuture<WireResponse> {
        guard pathAndQuery.hasPrefix("/"), Target.isSafe(pathAndQuery) else { return loop.makeFailedFuture(Failure.invalidURL(pathAndQuery)) }
        return exchange(method, Target(origin: origin, pathAndQuery: origin.basePath + pathAndQuery), headers, body: body, timeout: timeout, on: loop)
    }

    private func exchange(
        _ method: HTTPRequest.Method, _ target: Target, _ lines: HeaderLines, body: ByteBuffer?, timeout: Duration, on loop: any EventLoop
    ) -> EventLoopFuture<WireResponse> {
        let deadline = NIODeadline.now() + TimeAmount(timeout)
        let request = OutgoingRequest(
            method: HTTPMethod(rawValue: method.rawValue), head: Self.requestHead(method, target, lines, bodyBytes: body?.readableBytes), body: body)
        if let pooled = checkout(target.origin, on: loop) {
            return send(request, on: pooled, target.origin, deadline: deadline).flatMapError { error in
                guard error as? Failure == .closed, method == .get || method == .head else { return loop.makeFailedFuture(error) }
                return self.connect(target.origin, on: loop, deadline: deadline).flatMap { self.send(request, on: $0, target.origin, deadline: deadline) }
            }
        }
        return connect(target.origin, on: loop, deadline: deadline).flatMap { self.send(request, on: $0, target.origin, deadline: deadline) }
    }

    private func send(_ request: OutgoingRequest, on connection: PooledConnection, _ target: Origin, deadline: NIODeadline) -> EventLoopFuture<WireResponse> {
        let answered = connection.channel.eventLoop.makePromise(of: WireResponse.self)
        connection.send(request, deadline: deadline, limit: maxResponseBytes).whenComplete { result in
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
            if pooled.channel.isActive && NIODeadline.now() - pooled.idleSince < maxIdleTime { return pooled }
            pooled.channel.close(promise: nil)
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
                    // The request goes out as bytes (HTTP1Request.swift); NIO's parser reads the answer.
                    try channel.pipeline.syncOperations.addHandler(RequestBytes())
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .dropBytes)))
                    try channel.pipeline.syncOperations.addHandler(collector)
                }
            }
        return bootstrap.connect(host: target.host, port: target.port)
            .flatMapErrorThrowing { [handshake = tls?.handshake] error in
                // Never connected (an unknown host, refused): no handshake will come; its promise is
                // failed rather than dropped unfulfilled (on this loop, where it was made).
                handshake?.fail(error)
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
        var connection = connection
        connection.idleSince = .now()
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
