// Redis on the event loop, for commands on every request's path (the gateway's rate limit): one
// connection per event loop, commands pipelined (Redis answers in order), the protocol written and
// read by hiredis' own formatter and reader, the socket driven by NIO. A command goes out on the
// connection of the loop it is issued from, so the request never changes threads for it (on a busy
// machine every hand-off to another thread waits for the scheduler).

import CHiredis
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle

public final class RedisPipeline: Service, Sendable {
    let settings: RedisSettings
    let group: any EventLoopGroup
    private let links = NIOLockedValueBox<[ObjectIdentifier: EventLoopFuture<Link>]>([:])

    struct Link: Sendable {
        let channel: any Channel
        let replies: RedisReplyHandler
    }

    public init(settings: RedisSettings, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.settings = settings
        self.group = group
    }

    /// Sends a command; `timeout` bounds the wait for its reply (the connection is dropped when it
    /// passes, failing every command on it, and made again by the next one).
    public func command(_ arguments: [String], timeout: Duration) async throws -> RedisReply {
        let link = try await connection().get()
        let message = try Self.format(arguments, allocator: link.channel.allocator)
        let promise = link.channel.eventLoop.makePromise(of: RedisReply.self)
        link.channel.eventLoop.execute {
            link.replies.expect(promise)
            link.channel.writeAndFlush(message, promise: nil)
            let timer = link.channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
                link.channel.close(promise: nil)
            }
            promise.futureResult.whenComplete { _ in timer.cancel() }
        }
        return try await promise.futureResult.get()
    }

    /// EVALSHA, falling back to EVAL when the server has not seen the script.
    public func eval(_ script: RedisScript, keys: [String] = [], arguments: [String] = [], timeout: Duration) async throws -> RedisReply {
        try await script.run(keys: keys, arguments: arguments) { try await command($0, timeout: timeout) }
    }

    /// How many connections are open or being opened (one per event loop that issued a command).
    var connectionCount: Int { links.withLockedValue { $0.count } }

    /// Keeps the connections until the service group shuts down, then closes them.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    public func shutdown() async {
        let current = links.withLockedValue { links in
            defer { links = [:] }
            return Array(links.values)
        }
        for link in current { if let channel = try? await link.get().channel { try? await channel.close() } }
    }

    /// The live connection of the current event loop (or any loop's, off the loops), or one being
    /// made; a failed or closed one is forgotten so the next command connects again.
    private func connection() -> EventLoopFuture<Link> {
        let loop = group.any()
        let key = ObjectIdentifier(loop)
        return links.withLockedValue { links in
            if let link = links[key] { return link }
            let made = connect(on: loop)
            links[key] = made
            made.whenComplete { result in
                switch result {
                case .success(let connected): connected.channel.closeFuture.whenComplete { _ in self.forget(made) }
                case .failure: self.forget(made)
                }
            }
            return made
        }
    }

    private func forget(_ future: EventLoopFuture<Link>) {
        links.withLockedValue { links in
            for (key, link) in links where link === future { links[key] = nil }
        }
    }

    private func connect(on loop: any EventLoop) -> EventLoopFuture<Link> {
        let replies = RedisReplyHandler()
        let settings = settings
        return ClientBootstrap(group: loop)
            .connectTimeout(TimeAmount(settings.commandTimeout))
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(replies) } }
            .connect(host: settings.host, port: settings.port)
            .flatMapErrorThrowing { error in throw RedisError.connection("cannot connect to \(settings.host):\(settings.port): \(error)") }
            .flatMap { channel in
                // AUTH and SELECT go first on the connection; their replies are checked like any other.
                var setup: [[String]] = []
                if let password = settings.password { setup.append(["AUTH", password]) }
                if settings.database != 0 { setup.append(["SELECT", String(settings.database)]) }
                let answers = setup.map { arguments -> EventLoopFuture<RedisReply> in
                    let promise = channel.eventLoop.makePromise(of: RedisReply.self)
                    replies.expect(promise)
                    if let message = try? Self.format(arguments, allocator: channel.allocator) { channel.writeAndFlush(message, promise: nil) }
                    return promise.futureResult
                }
                return EventLoopFuture.andAllSucceed(answers, on: channel.eventLoop)
                    .map { Link(channel: channel, replies: replies) }
                    .flatMapError { error in channel.close().flatMapThrowing { throw error } }
            }
    }

    /// The command in Redis' protocol, by hiredis.
    static func format(_ arguments: [String], allocator: ByteBufferAllocator) throws -> ByteBuffer {
        // Binary-safe: each argument copied with its length, not as a C string.
        let copies = arguments.map { argument -> UnsafeMutablePointer<CChar> in
            let bytes = Array(argument.utf8)
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: max(bytes.count, 1))
            bytes.withUnsafeBytes { UnsafeMutableRawPointer(copy).copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
            return copy
        }
        defer { copies.forEach { $0.deallocate() } }
        var pointers = copies.map { UnsafePointer($0) as UnsafePointer<CChar>? }
        var lengths = arguments.map { $0.utf8.count }
        var target: UnsafeMutablePointer<CChar>?
        let length = redisFormatCommandArgv(&target, Int32(arguments.count), &pointers, &lengths)
        guard length > 0, let target else { throw RedisError.connection("hiredis could not format the command") }
        defer { redisFreeCommand(target) }
        var buffer = allocator.buffer(capacity: Int(length))
        buffer.writeBytes(UnsafeRawBufferPointer(start: target, count: Int(length)))
        return buffer
    }
}

/// Reads replies with hiredis' reader and completes the waiting commands in order. Lives on its
/// channel's event loop; every method runs there.
final class RedisReplyHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    private var waiting = CircularBuffer<EventLoopPromise<RedisReply>>()
    private let reader = redisReaderCreate()

    deinit { redisReaderFree(reader) }

    func expect(_ promise: EventLoopPromise<RedisReply>) { waiting.append(promise) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        let fed = bytes.withUnsafeReadableBytes { redisReaderFeed(reader, $0.baseAddress?.assumingMemoryBound(to: CChar.self), $0.count) }
        guard fed == REDIS_OK else { return failAll(RedisError.connection("unreadable reply"), context) }
        while true {
            var raw: UnsafeMutableRawPointer?
            guard redisReaderGetReply(reader, &raw) == REDIS_OK else { return failAll(RedisError.connection("malformed reply"), context) }
            guard let raw else { return }
            defer { freeReplyObject(raw) }
            guard !waiting.isEmpty else { return failAll(RedisError.connection("a reply nobody asked for"), context) }
            let promise = waiting.removeFirst()
            do {
                promise.succeed(try RedisConnection.convert(raw.assumingMemoryBound(to: redisReply.self)))
            } catch {
                promise.fail(error)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        while let promise = waiting.popFirst() { promise.fail(RedisError.connection("the connection closed")) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(RedisError.connection("\(error)"), context)
    }

    private func failAll(_ error: RedisError, _ context: ChannelHandlerContext) {
        while let promise = waiting.popFirst() { promise.fail(error) }
        context.close(promise: nil)
    }
}
