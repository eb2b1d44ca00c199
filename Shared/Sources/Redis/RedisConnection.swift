// One hiredis context, used on one pool thread at a time. After any I/O error hiredis' context is
// dead: it is freed and a new one made on the next use.

import CHiredis
import FoundationEssentials
import Glibc

final class RedisConnection: @unchecked Sendable {
    private var context: UnsafeMutablePointer<redisContext>?
    let settings: RedisSettings

    init(settings: RedisSettings) {
        self.settings = settings
    }

    deinit { close() }

    func close() {
        if let context { redisFree(context) }
        context = nil
    }

    func ensureConnected() throws {
        if let context {
            if !Self.peerClosed(context) { return }
            close()
        }
        let seconds = Int(settings.commandTimeout.components.seconds)
        let micros = Int32(settings.commandTimeout.components.attoseconds / 1_000_000_000_000)
        let limit = timeval(tv_sec: max(seconds, 0), tv_usec: Int(micros))
        guard let fresh = redisConnectWithTimeout(settings.host, Int32(settings.port), limit) else {
            throw RedisError.connection("hiredis could not allocate a context")
        }
        if fresh.pointee.err != 0 {
            let message = Self.errorText(fresh)
            redisFree(fresh)
            throw RedisError.connection(message)
        }
        redisSetTimeout(fresh, limit)
        context = fresh
        do {
            if let password = settings.password { _ = try command(["AUTH", password].map { Array($0.utf8) }) }
            if settings.database != 0 { _ = try command(["SELECT", String(settings.database)].map { Array($0.utf8) }) }
        } catch {
            close()
            throw error
        }
    }

    /// Sends one command (binary-safe arguments) and returns the reply; a server error reply throws `.server`.
    func command(_ arguments: [[UInt8]]) throws -> RedisReply {
        guard let context else { throw RedisError.connection("not connected") }
        let buffers = arguments.map { bytes -> UnsafeMutablePointer<CChar> in
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: max(bytes.count, 1))
            bytes.withUnsafeBufferPointer { source in
                if let base = source.baseAddress { UnsafeMutableRawPointer(buffer).copyMemory(from: base, byteCount: bytes.count) }
            }
            return buffer
        }
        defer { buffers.forEach { $0.deallocate() } }
        var pointers = buffers.map { UnsafePointer($0) as UnsafePointer<CChar>? }
        var lengths = arguments.map(\.count)
        guard let raw = redisCommandArgv(context, Int32(arguments.count), &pointers, &lengths) else {
            let message = Self.errorText(context)
            close()
            throw RedisError.connection(message)
        }
        defer { freeReplyObject(raw) }
        return try Self.convert(raw.assumingMemoryBound(to: redisReply.self))
    }

    static func convert(_ reply: UnsafeMutablePointer<redisReply>) throws -> RedisReply {
        let r = reply.pointee
        switch r.type {
        case REDIS_REPLY_STRING: return .bulk(bytes(r))
        case REDIS_REPLY_STATUS: return .status(String(decoding: bytes(r), as: UTF8.self))
        case REDIS_REPLY_INTEGER: return .integer(Int(r.integer))
        case REDIS_REPLY_NIL: return .null
        case REDIS_REPLY_ERROR: throw RedisError.server(String(decoding: bytes(r), as: UTF8.self))
        case REDIS_REPLY_ARRAY:
            return .array(try (0..<Int(r.elements)).map { index in
                guard let element = r.element[index] else { return .null }
                return try convert(element)
            })
        default: return .null
        }
    }

    private static func bytes(_ reply: redisReply) -> [UInt8] {
        guard let str = reply.str else { return [] }
        return Array(UnsafeRawBufferPointer(start: str, count: Int(reply.len)))
    }

    /// A server that restarted closed our socket while it sat idle: notice that before sending a
    /// command on it (a peek, no round trip), so only commands in flight at the restart can fail.
    static func peerClosed(_ context: UnsafeMutablePointer<redisContext>) -> Bool {
        var byte: UInt8 = 0
        let received = recv(context.pointee.fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        if received == 0 { return true }
        return received < 0 && errno != EAGAIN && errno != EWOULDBLOCK
    }

    static func errorText(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
