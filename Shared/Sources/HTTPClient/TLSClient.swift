// TLS for HTTP1Client's https:// calls (webhooks to distributors, real suppliers), over the OpenSSL
// the platform already links: TLS 1.2 or newer, the peer's certificate checked against the system's
// trust store (or a given CA file) and the host name, SNI sent. OpenSSL works on memory buffers and
// NIO moves the bytes: the handler feeds what arrives into OpenSSL and writes what OpenSSL produces.

import COpenSSL
import NIOCore

/// Which certificates a client trusts; one OpenSSL context, shared by every connection.
public final class TLSTrust: @unchecked Sendable {
    let context: OpaquePointer

    /// The system's trust store (Debian's ca-certificates), or the PEM certificates in `caFile`.
    public init(caFile: String? = nil) throws {
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw TLSError("cannot set up TLS: \(TLSError.lastReason())") }
        self.context = context
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        guard cshims_ssl_ctx_require_tls12(context) == 1 else { throw TLSError("cannot require TLS 1.2: \(TLSError.lastReason())") }
        let loaded = caFile.map { SSL_CTX_load_verify_locations(context, $0, nil) } ?? SSL_CTX_set_default_verify_paths(context)
        guard loaded == 1 else { throw TLSError("cannot load trusted certificates from \(caFile ?? "the system store"): \(TLSError.lastReason())") }
    }

    deinit { SSL_CTX_free(context) }

    /// The system's trust store, loaded at the first https:// call.
    static let system = Result { try TLSTrust() }
}

public struct TLSError: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ description: String) { self.description = description }

    /// OpenSSL's reason for the last failure on this thread (and clears the queue).
    static func lastReason() -> String {
        var reasons: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var text = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &text, text.count)
            reasons.append(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return reasons.isEmpty ? "unknown" : reasons.joined(separator: "; ")
    }
}

/// First in a client pipeline: plaintext above, TLS records below. Writes made before the handshake
/// has finished wait for it; `handshake` completes when it has (or fails with the reason).
final class TLSClientHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let ssl: OpaquePointer
    private let incoming: OpaquePointer  // network -> OpenSSL
    private let outgoing: OpaquePointer  // OpenSSL -> network
    private var established = false
    private var failed = false
    private var waiting: [(ByteBuffer, EventLoopPromise<Void>?)] = []
    let handshake: EventLoopPromise<Void>

    init(trust: TLSTrust, serverName: String, handshake: EventLoopPromise<Void>) throws {
        guard let ssl = SSL_new(trust.context), let incoming = BIO_new(BIO_s_mem()), let outgoing = BIO_new(BIO_s_mem()) else {
            throw TLSError("cannot start a TLS session: \(TLSError.lastReason())")
        }
        self.ssl = ssl
        self.incoming = incoming
        self.outgoing = outgoing
        self.handshake = handshake
        SSL_set_bio(ssl, incoming, outgoing)  // the session owns both buffers now
        SSL_set_connect_state(ssl)
        // SNI for host names only (not for addresses), and the certificate must name this host.
        let isAddress = serverName.utf8.allSatisfy { $0 == UInt8(ascii: ".") || (48...57).contains($0) } || serverName.contains(":")
        if !isAddress { _ = cshims_ssl_set_server_name(ssl, serverName) }
        let named = isAddress ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), serverName) : SSL_set1_host(ssl, serverName)
        guard named == 1 else { throw TLSError("cannot check the certificate against \(serverName)") }
    }

    deinit { SSL_free(ssl) }

    func channelActive(context: ChannelHandlerContext) {
        advanceHandshake(context: context)
        context.fireChannelActive()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { advanceHandshake(context: context) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        bytes.withUnsafeReadableBytes { _ = BIO_write(incoming, $0.baseAddress, Int32($0.count)) }
        bytes.moveReaderIndex(to: bytes.writerIndex)
        if !established { advanceHandshake(context: context) }
        if established { readPlaintext(context: context) }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let plaintext = unwrapOutboundIn(data)
        guard established else {
            if failed { promise?.fail(TLSError("the TLS handshake failed")) } else { waiting.append((plaintext, promise)) }
            return
        }
        encrypt(plaintext, promise: promise, context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(TLSError("the connection closed during the TLS handshake"))
        context.fireChannelInactive()
    }

    private func advanceHandshake(context: ChannelHandlerContext) {
        guard !established, !failed else { return }
        let result = SSL_do_handshake(ssl)
        sendPending(context: context, flush: true)
        if result == 1 {
            established = true
            handshake.succeed()
            let queued = waiting
            waiting = []
            for (plaintext, promise) in queued { encrypt(plaintext, promise: promise, context: context) }
            context.flush()
            return
        }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE: return
        default:
            let verify = SSL_get_verify_result(ssl)
            let reason = verify == X509_V_OK ? TLSError.lastReason() : String(cString: X509_verify_cert_error_string(verify))
            fail(TLSError("TLS handshake failed: \(reason)"))
            context.close(promise: nil)
        }
    }

    private func fail(_ error: TLSError) {
        guard !established, !failed else { return }
        failed = true
        handshake.fail(error)
        let queued = waiting
        waiting = []
        for (_, promise) in queued { promise?.fail(error) }
    }

    private func encrypt(_ plaintext: ByteBuffer, promise: EventLoopPromise<Void>?, context: ChannelHandlerContext) {
        var ok = true
        if plaintext.readableBytes > 0 {
            ok = plaintext.withUnsafeReadableBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) } > 0
        }
        guard ok else {
            promise?.fail(TLSError("TLS write failed: \(TLSError.lastReason())"))
            context.close(promise: nil)
            return
        }
        sendPending(context: context, flush: false, promise: promise)
    }

    /// Writes what OpenSSL has produced for the network.
    private func sendPending(context: ChannelHandlerContext, flush: Bool, promise: EventLoopPromise<Void>? = nil) {
        let pending = Int(BIO_ctrl_pending(outgoing))
        guard pending > 0 else {
            promise?.succeed()
            return
        }
        var buffer = context.channel.allocator.buffer(capacity: pending)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: pending) { Int(max(0, BIO_read(outgoing, $0.baseAddress, Int32(pending)))) }
        context.write(wrapOutboundOut(buffer), promise: promise)
        if flush { context.flush() }
    }

    private func readPlaintext(context: ChannelHandlerContext) {
        var result: Int32 = 0
        while true {
            var buffer = context.channel.allocator.buffer(capacity: 16 << 10)
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 16 << 10) { bytes in
                result = SSL_read(ssl, bytes.baseAddress, Int32(bytes.count))
                return Int(max(0, result))
            }
            guard result > 0 else { break }
            context.fireChannelRead(wrapInboundOut(buffer))
        }
        // A key update may need an answer.
        sendPending(context: context, flush: true)
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE: return
        case SSL_ERROR_ZERO_RETURN: context.close(promise: nil)  // the server ended the session
        default:
            context.fireErrorCaught(TLSError("TLS read failed: \(TLSError.lastReason())"))
            context.close(promise: nil)
        }
    }
}
