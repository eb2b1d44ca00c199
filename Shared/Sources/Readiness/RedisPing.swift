// Readiness of Redis: connect with hiredis, AUTH when the URL has a password, PING.

import CHiredis
import Foundation
import NIOPosix

struct RedisPing: DependencyCheck {
    let url: URL
    var name: String { "redis" }

    func check(timeout: Duration) async throws {
        let host = url.host ?? "127.0.0.1"
        let port = Int32(url.port ?? 6379)
        let password = url.password?.removingPercentEncoding
        let seconds = max(1, Int(timeout.components.seconds))
        try await NIOThreadPool.singleton.runIfActive { try Self.ping(host: host, port: port, password: password, seconds: seconds) }
    }

    static func ping(host: String, port: Int32, password: String?, seconds: Int) throws {
        let limit = timeval(tv_sec: seconds, tv_usec: 0)
        guard let context = redisConnectWithTimeout(host, port, limit) else { throw DependencyFailure("hiredis could not allocate a context") }
        defer { redisFree(context) }
        if context.pointee.err != 0 { throw DependencyFailure(errorText(context)) }
        redisSetTimeout(context, limit)
        if let password { _ = try command(context, ["AUTH", password]) }
        let pong = try command(context, ["PING"])
        guard pong == "PONG" else { throw DependencyFailure("PING answered '\(pong)'") }
    }

    /// Runs one command, returning a status or string reply; an error reply throws.
    static func command(_ context: UnsafeMutablePointer<redisContext>, _ arguments: [String]) throws -> String {
        let cStrings = arguments.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        var pointers = cStrings.map { UnsafePointer($0) }
        var lengths = arguments.map { $0.utf8.count }
        guard let raw = redisCommandArgv(context, Int32(arguments.count), &pointers, &lengths) else {
            throw DependencyFailure(errorText(context))
        }
        let reply = raw.assumingMemoryBound(to: redisReply.self)
        defer { freeReplyObject(raw) }
        let text = reply.pointee.str.map { String(cString: $0) } ?? ""
        if reply.pointee.type == REDIS_REPLY_ERROR { throw DependencyFailure(text) }
        return text
    }

    static func errorText(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
    }
}
