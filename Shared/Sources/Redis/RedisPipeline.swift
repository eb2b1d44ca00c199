// Redis on the event loop, for commands on every request's path (the gateway's rate limit): one
// connection per event loop, commands pipelined (Redis answers in order) and written together when
// several are sent in one tick, replies read by hiredis' reader, the socket driven by NIO. A
// command goes out on the connection of the loop it is issued from, so the request never changes
// threads for it (on a busy machine every hand-off to another thread waits for the scheduler).

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
        try await command(arguments, timeout: timeout, on: group.any()).get()
    }

    /// The same as a future, for a caller on an event loop outside a task: on that loop's
    /// connection when called there, so neither the command nor its reply changes threads.
    public func command(_ arguments: [String], timeout: Duration, on loop: any EventLoop) -> EventLoopFuture<RedisReply> {
        connection(on: loop).flatMap { link in
            let message = Self.format(arguments, allocator: link.channel.allocator)
            let linkLoop = link.channel.eventLoop
            let promise = linkLoop.makePromise(of: RedisReply.self)
            if linkLoop.inEventLoop {
                link.replies.send(message, promise: promise, timeout: TimeAmount(timeout))
            } else {
                linkLoop.execute { link.replies.send(message, promise: promise, timeout: TimeAmount(timeout)) }
            }
            return promise.futureResult
        }
    }

    /// EVALSHA, falling back to EVAL when the server has not seen the script.
    public func eval(_ script: RedisScript, keys: [String] = [], arguments: [String] = [], timeout: Duration) async throws -> RedisReply {
        try await eval(script, keys: keys, arguments: arguments, timeout: timeout, on: group.any()).get()
    }

    public func eval(_ script: RedisScript, keys: [String] = [], arguments: [String] = [], timeout: Duration, on loop: any EventLoop) -> EventLoopFuture<RedisReply> {
        let (byHash, whole) = script.commands(keys: keys, arguments: arguments)
        return command(byHash, timeout: timeout, on: loop).flatMapError { error in
            guard RedisScript.unknown(error) else { return loop.makeFailedFuture(error) }
            return self.command(whole, timeout: timeout, on: loop)
        }
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
    private func connection(on loop: any EventLoop) -> EventLoopFuture<Link> {
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
                    replies.send(Self.format(arguments, allocator: channel.allocator), promise: promise, timeout: TimeAmount(settings.commandTimeout))
                    return promise.futureResult
                }
                return EventLoopFuture.andAllSucceed(answers, on: channel.eventLoop)
                    .map { Link(channel: channel, replies: replies) }
                    .flatMapError { error in channel.close().flatMapThrowing { throw error } }
            }
    }

    /// The command in Redis' protocol (an array of bulk strings: binary-safe, lengths in bytes).
    static func format(_ arguments: [String], allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 16 + arguments.reduce(0) { $0 + $1.utf8.count + 16 })
        buffer.writeStaticString("*")
        buffer.writeString(String(arguments.count))
        buffer.writeStaticString("\r\n")
        for argument in arguments {
            buffer.writeStaticString("$")
            buffer.writeString(String(argument.utf8.count))
            buffer.writeStaticString("\r\n")
            buffer.writeString(argument)
            buffer.writeStaticString("\r\n")
        }
        return buffer
    }
}

/// Sends commands and reads their replies with hiredis' reader, completing the waiting commands in
/// order. Lives on its channel's event loop; every method runs there. Commands sent in one tick of
/// the loop leave in one write; one timer at a time watches the oldest command's deadline, and a
/// command past it closes the connection (failing every command on it).
final class RedisReplyHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    private struct Waiting {
        var promise: EventLoopPromise<RedisReply>
        var deadline: NIODeadline
    }

    private var waiting = CircularBuffer<Waiting>()
    private let reader = redisReaderCreate()
    private var context: ChannelHandlerContext?
    private var flushScheduled = false
    private var watch: Scheduled<Void>?

    deinit { redisReaderFree(reader) }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        watch?.cancel()
        while let command = waiting.popFirst() { command.promise.fail(RedisError.connection("the connection closed")) }
    }

    func send(_ message: ByteBuffer, promise: EventLoopPromise<RedisReply>, timeout: TimeAmount) {
        // A closed connection answers nothing: a command sent once the close began would wait forever.
        guard let context, context.channel.isActive else { return promise.fail(RedisError.connection("the connection closed")) }
        waiting.append(Waiting(promise: promise, deadline: .now() + timeout))
        context.write(NIOAny(message), promise: nil)
        if !flushScheduled {
            flushScheduled = true
            context.eventLoop.execute {
                self.flushScheduled = false
                self.context?.flush()
            }
        }
        if watch == nil { watchOldest(on: context.eventLoop) }
    }

    private func watchOldest(on loop: any EventLoop) {
        guard let oldest = waiting.first else { return }
        watch = loop.scheduleTask(deadline: oldest.deadline) {
            self.watch = nil
            guard let oldest = self.waiting.first else { return }
            if oldest.deadline <= .now() { self.context?.close(promise: nil) } else { self.watchOldest(on: loop) }
        }
    }

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
            let promise = waiting.removeFirst().promise
            do {
                promise.succeed(try RedisConnection.convert(raw.assumingMemoryBound(to: redisReply.self)))
            } catch {
                promise.fail(error)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        while let command = waiting.popFirst() { command.promise.fail(RedisError.connection("the connection closed")) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(RedisError.connection("\(error)"), context)
    }

    private func failAll(_ error: RedisError, _ context: ChannelHandlerContext) {
        while let command = waiting.popFirst() { command.promise.fail(error) }
        context.close(promise: nil)
    }
}
