// Redis on the event loop: pipelined commands each get their own reply, scripts load themselves,
// errors stay errors, a dead server fails at once, and a command sent as its connection closes
// fails rather than waits.

import Foundation
import NIOCore
import NIOEmbedded
import NIOPosix
@testable import Shared
import Testing
import TestSupport

@Suite struct RedisPipelineTests {
    func pipeline() throws -> RedisPipeline {
        RedisPipeline(settings: RedisSettings(url: URL(string: try TestInfrastructure.url(.redis))!))
    }

    @Test func concurrentCommandsEachGetTheirOwnReply() async throws {
        let redis = try pipeline()
        let prefix = "pipe:\(UUID().uuidString)"
        let replies = try await withThrowingTaskGroup(of: (Int, RedisReply).self) { group in
            for index in 0..<500 {
                group.addTask { (index, try await redis.command(["INCRBY", "\(prefix):\(index % 7)", String(index)], timeout: .seconds(5))) }
            }
            return try await group.reduce(into: [Int: RedisReply]()) { $0[$1.0] = $1.1 }
        }
        #expect(replies.count == 500)
        for key in 0..<7 {
            let expected = (0..<500).filter { $0 % 7 == key }.reduce(0, +)
            #expect(try await redis.command(["GET", "\(prefix):\(key)"], timeout: .seconds(2)) == .bulk(Array(String(expected).utf8)))
        }
        let echoed = try await redis.command(["ECHO", "binary \u{0} safe é"], timeout: .seconds(2))
        #expect(echoed == .bulk(Array("binary \u{0} safe é".utf8)))
        _ = try await redis.command(["DEL"] + (0..<7).map { "\(prefix):\($0)" }, timeout: .seconds(2))
        await redis.shutdown()
    }

    @Test func scriptsLoadOnFirstUseAndErrorsStayErrors() async throws {
        let redis = try pipeline()
        let script = RedisScript("return {ARGV[1], '\(UUID().uuidString)'}")
        let first = try await redis.eval(script, arguments: ["a"], timeout: .seconds(2))
        let second = try await redis.eval(script, arguments: ["b"], timeout: .seconds(2))
        guard case .array(let a) = first, case .array(let b) = second else { Issue.record("not arrays: \(first) \(second)"); return }
        #expect(a.first == .bulk(Array("a".utf8)) && b.first == .bulk(Array("b".utf8)))
        await #expect(throws: RedisError.self) { try await redis.command(["NOSUCHCOMMAND"], timeout: .seconds(2)) }
        #expect(try await redis.command(["PING"], timeout: .seconds(2)) == .status("PONG"), "the connection survives an error reply")
        await redis.shutdown()
    }

    @Test func aDeadServerFailsAtOnce() async throws {
        let redis = RedisPipeline(settings: RedisSettings(url: URL(string: "redis://127.0.0.1:1/0")!, commandTimeout: .seconds(30)))
        let started = ContinuousClock.now
        do {
            _ = try await redis.command(["PING"], timeout: .seconds(30))
            Issue.record("PING to a closed port answered")
        } catch let error as RedisError {
            guard case .connection = error else { Issue.record("expected a connection error, got \(error)"); return }
        }
        #expect(ContinuousClock.now - started < .seconds(10), "at once, not after the 30 s timeouts (room for a busy machine)")
    }
}

extension RedisPipelineTests {
    @Test func aServerThatNeverAnswersTimesOut() async throws {
        // A socket that accepts connections (the kernel's backlog) but never reads or answers.
        let (fd, port) = try #require(boundSocket())
        defer { close(fd) }
        listen(fd, 8)
        let redis = RedisPipeline(settings: RedisSettings(url: URL(string: "redis://127.0.0.1:\(port)/0")!, commandTimeout: .seconds(30)))
        let started = ContinuousClock.now
        await #expect(throws: RedisError.self) { try await redis.command(["PING"], timeout: .milliseconds(300)) }
        #expect(ContinuousClock.now - started < .seconds(10), "the 0.3 s timeout ends the wait, not the 30 s connect timeout (room for a busy machine)")
        await redis.shutdown()
    }
}

extension RedisPipelineTests {
    @Test func oneConnectionPerEventLoopNotPerCommand() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let redis = RedisPipeline(settings: RedisSettings(url: URL(string: try TestInfrastructure.url(.redis))!), group: group)
        // Called off the loops, commands spread over the group's loops; called on a loop, they use its connection.
        for _ in 0..<20 { #expect(try await redis.command(["PING"], timeout: .seconds(5)) == .status("PONG")) }
        #expect(redis.connectionCount == 2)
        let loop = group.next()
        let onLoop = try await loop.flatSubmit { loop.makeFutureWithTask { try await redis.command(["PING"], timeout: .seconds(5)) } }.get()
        #expect(onLoop == .status("PONG") && redis.connectionCount == 2)
        await redis.shutdown()
        #expect(redis.connectionCount == 0)
        try await group.shutdownGracefully()
    }
}

extension RedisPipelineTests {
    /// Sends a command from its channelInactive, after the reply handler's: a command that reaches a
    /// connection between its close and the handler's removal.
    final class LateCommand: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        let replies: RedisReplyHandler
        var result: Result<RedisReply, any Error>?
        var promise: EventLoopPromise<RedisReply>?

        init(_ replies: RedisReplyHandler) { self.replies = replies }

        func channelInactive(context: ChannelHandlerContext) {
            let promise = context.eventLoop.makePromise(of: RedisReply.self)
            promise.futureResult.whenComplete { self.result = $0 }
            self.promise = promise
            replies.send(RedisPipeline.format(["PING"], allocator: context.channel.allocator), promise: promise, timeout: .milliseconds(100))
            context.fireChannelInactive()
        }
    }

    /// It once waited for a reply forever (nothing fails a command the handler takes after the close
    /// is seen): a search hung on it until the gateway gave up.
    @Test func aCommandSentAsItsConnectionClosesFailsAtOnce() throws {
        let channel = EmbeddedChannel()
        let replies = RedisReplyHandler(), late = LateCommand(replies)
        try channel.pipeline.syncOperations.addHandlers([replies, late])
        try channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 6379)).wait()
        try channel.close().wait()
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        let result = late.result
        if result == nil { late.promise?.fail(RedisError.connection("test over")) }  // not leaked
        let answered = try #require(result, "the command is still waiting for a reply")
        #expect(throws: RedisError.self) { try answered.get() }
    }
}
