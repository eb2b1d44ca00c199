// One AMQP connection with one channel, used only by its owner (one thread at a time). Blocking.
// Publishing uses publisher confirms: basic.publish can report success on a dead socket, the
// broker's ack cannot.

import CRabbitMQ
import CShims
import FoundationEssentials
import Glibc

final class AMQPConnection: @unchecked Sendable {
    let settings: AMQPSettings
    private var state: amqp_connection_state_t?
    private let channel: amqp_channel_t = 1
    private var nextDeliveryTag: UInt64 = 1
    private(set) var confirming = false

    init(settings: AMQPSettings) {
        self.settings = settings
    }

    deinit { close() }

    var isOpen: Bool { state != nil }

    func open() throws {
        if state != nil { return }
        guard let connection = amqp_new_connection() else { throw AMQPError("librabbitmq could not allocate a connection") }
        guard let socket = amqp_tcp_socket_new(connection) else {
            amqp_destroy_connection(connection)
            throw AMQPError("librabbitmq could not create a socket")
        }
        var limit = timeval(settings.timeout)
        amqp_set_handshake_timeout(connection, &limit)
        amqp_set_rpc_timeout(connection, &limit)
        let opened = amqp_socket_open_noblock(socket, settings.host, Int32(settings.port), &limit)
        guard opened == AMQP_STATUS_OK.rawValue else {
            amqp_destroy_connection(connection)
            throw AMQPError("cannot connect to \(settings.host):\(settings.port): \(String(cString: amqp_error_string2(opened)))")
        }
        state = connection
        do {
            try check(cshims_amqp_login_plain(connection, settings.vhost, 0, 131_072, Int32(settings.heartbeatSeconds), settings.user, settings.password), "login")
            amqp_channel_open(connection, channel)
            try check(amqp_get_rpc_reply(connection), "channel.open")
        } catch {
            close()
            throw error
        }
        nextDeliveryTag = 1
        confirming = false
    }

    /// A text property the server announced at connection start (`version`, `product`).
    func serverProperty(_ key: String) -> String? {
        guard let state, let table = amqp_get_server_properties(state)?.pointee, let entries = table.entries else { return nil }
        for index in 0..<Int(table.num_entries) {
            let entry = entries[index]
            guard Self.text(entry.key) == key, entry.value.kind == UInt8(ascii: "S") else { continue }
            return Self.text(entry.value.value.bytes)
        }
        return nil
    }

    private static func text(_ bytes: amqp_bytes_t) -> String {
        guard let base = bytes.bytes else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: base, count: bytes.len), as: UTF8.self)
    }

    func close() {
        guard let state else { return }
        _ = amqp_connection_close(state, 200)
        amqp_destroy_connection(state)
        self.state = nil
        confirming = false
    }

    /// Drops the connection without the closing handshake (after an error it may hang).
    func abandon() {
        guard let state else { return }
        amqp_destroy_connection(state)
        self.state = nil
        confirming = false
    }

    private func live() throws -> amqp_connection_state_t {
        guard let state else { throw AMQPError("not connected") }
        return state
    }

    // MARK: topology

    func declareExchange(_ name: String, type: String) throws {
        let arena = CArena()
        amqp_exchange_declare(try live(), channel, arena.bytes(name), arena.bytes(type), 0, 1, 0, 0, amqp_empty_table)
        try check(amqp_get_rpc_reply(try live()), "exchange.declare \(name)")
    }

    func declareQueue(_ name: String, arguments: [(String, CArena.Field)] = []) throws {
        let arena = CArena()
        amqp_queue_declare(try live(), channel, arena.bytes(name), 0, 1, 0, 0, arena.table(arguments))
        try check(amqp_get_rpc_reply(try live()), "queue.declare \(name)")
    }

    func bind(queue: String, exchange: String, key: String) throws {
        let arena = CArena()
        amqp_queue_bind(try live(), channel, arena.bytes(queue), arena.bytes(exchange), arena.bytes(key), amqp_empty_table)
        try check(amqp_get_rpc_reply(try live()), "queue.bind \(queue) \(key)")
    }

    /// Messages ready in the queue (passive declare).
    func messageCount(queue: String) throws -> Int {
        let arena = CArena()
        let ok = amqp_queue_declare(try live(), channel, arena.bytes(queue), 1, 0, 0, 0, amqp_empty_table)
        try check(amqp_get_rpc_reply(try live()), "queue.declare (passive) \(queue)")
        return Int(ok?.pointee.message_count ?? 0)
    }

    func purge(queue: String) throws {
        let arena = CArena()
        amqp_queue_purge(try live(), channel, arena.bytes(queue))
        try check(amqp_get_rpc_reply(try live()), "queue.purge \(queue)")
    }

    // MARK: publishing

    func enableConfirms() throws {
        if confirming { return }
        amqp_confirm_select(try live(), channel)
        try check(amqp_get_rpc_reply(try live()), "confirm.select")
        confirming = true
        nextDeliveryTag = 1
    }

    /// Publishes every message, then waits until the broker has confirmed all of them.
    func publishConfirmed(_ messages: [OutgoingMessage]) throws {
        try enableConfirms()
        let first = nextDeliveryTag
        for message in messages {
            try send(message)
            nextDeliveryTag += 1
        }
        try awaitConfirms(from: first, through: nextDeliveryTag - 1)
    }

    private func awaitConfirms(from first: UInt64, through last: UInt64) throws {
        guard last >= first else { return }
        let connection = try live()
        var confirmed = first - 1
        let deadline = ContinuousClock.now + settings.timeout
        while confirmed < last {
            var frame = amqp_frame_t()
            var limit = timeval(.milliseconds(200))
            let status = amqp_simple_wait_frame_noblock(connection, &frame, &limit)
            if status == AMQP_STATUS_TIMEOUT.rawValue {
                guard ContinuousClock.now < deadline else {
                    abandon()
                    throw AMQPError("no publisher confirm within \(settings.timeout)")
                }
                continue
            }
            guard status == AMQP_STATUS_OK.rawValue else {
                abandon()
                throw AMQPError("waiting for confirms: \(String(cString: amqp_error_string2(status)))")
            }
            guard frame.frame_type == UInt8(AMQP_FRAME_METHOD) else { continue }
            switch frame.payload.method.id {
            case Method.basicAck:
                let ack = frame.payload.method.decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
                confirmed = max(confirmed, ack.delivery_tag)
            case Method.basicNack:
                abandon()
                throw AMQPError("the broker refused a published message (nack)")
            case Method.channelClose, Method.connectionClose:
                abandon()
                throw AMQPError("the broker closed the channel while publishing")
            default:
                continue
            }
        }
        amqp_maybe_release_buffers(connection)
    }

    /// Lets the library answer heartbeats while the owner is otherwise idle.
    func serviceHeartbeats() throws {
        let connection = try live()
        var frame = amqp_frame_t()
        var limit = timeval(.zero)
        let status = amqp_simple_wait_frame_noblock(connection, &frame, &limit)
        guard status == AMQP_STATUS_OK.rawValue || status == AMQP_STATUS_TIMEOUT.rawValue else {
            abandon()
            throw AMQPError("connection lost: \(String(cString: amqp_error_string2(status)))")
        }
        if status == AMQP_STATUS_OK.rawValue, frame.frame_type == UInt8(AMQP_FRAME_METHOD),
            frame.payload.method.id == Method.channelClose || frame.payload.method.id == Method.connectionClose {
            abandon()
            throw AMQPError("the broker closed the connection")
        }
    }

    // MARK: consuming

    func consume(queue: String, prefetch: Int) throws {
        let connection = try live()
        amqp_basic_qos(connection, channel, 0, UInt16(clamping: prefetch), 0)
        try check(amqp_get_rpc_reply(connection), "basic.qos")
        let arena = CArena()
        amqp_basic_consume(connection, channel, arena.bytes(queue), amqp_empty_bytes, 0, 0, 0, amqp_empty_table)
        try check(amqp_get_rpc_reply(connection), "basic.consume \(queue)")
    }

    /// Up to `limit` deliveries: waits up to `wait` for the first, then takes only what already arrived.
    /// Up to `limit` deliveries: waits up to `wait` for the first, then up to `gather` more for the
    /// rest (zero: only what has already arrived).
    func nextDeliveries(limit: Int, wait: Duration, gather: Duration = .zero) throws -> [Delivery] {
        let connection = try live()
        var out: [Delivery] = []
        var gatherUntil: ContinuousClock.Instant?
        while out.count < limit {
            amqp_maybe_release_buffers(connection)
            var envelope = amqp_envelope_t()
            var timeout = timeval(gatherUntil.map { max(.zero, $0 - .now) } ?? wait)
            let reply = amqp_consume_message(connection, &envelope, &timeout, 0)
            if reply.reply_type == AMQP_RESPONSE_NORMAL {
                out.append(Delivery(envelope))
                amqp_destroy_envelope(&envelope)
                if gatherUntil == nil { gatherUntil = .now + gather }
                continue
            }
            if reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && reply.library_error == AMQP_STATUS_TIMEOUT.rawValue {
                break
            }
            abandon()
            throw AMQPError("consuming: \(describe(reply))")
        }
        return out
    }

    func ack(_ tag: UInt64, multiple: Bool) throws {
        let status = amqp_basic_ack(try live(), channel, tag, multiple ? 1 : 0)
        guard status == AMQP_STATUS_OK.rawValue else {
            abandon()
            throw AMQPError("ack failed: \(String(cString: amqp_error_string2(status)))")
        }
    }

    /// Publishes without waiting for a confirm (the consumer's own retry/dead-letter copies, acked after).
    func publishUnconfirmed(_ message: OutgoingMessage) throws {
        try send(message)
    }

    private func send(_ message: OutgoingMessage) throws {
        let arena = CArena()
        var properties = message.properties(arena)
        let status = amqp_basic_publish(
            try live(), channel, arena.bytes(message.exchange), arena.bytes(message.routingKey), 0, 0, &properties, arena.bytes(message.body))
        guard status == AMQP_STATUS_OK.rawValue else {
            abandon()
            throw AMQPError("publish failed: \(String(cString: amqp_error_string2(status)))")
        }
    }

    // MARK: errors

    private func check(_ reply: amqp_rpc_reply_t, _ operation: String) throws {
        guard reply.reply_type != AMQP_RESPONSE_NORMAL else { return }
        let message = "\(operation): \(describe(reply))"
        abandon()
        throw AMQPError(message)
    }

    private func describe(_ reply: amqp_rpc_reply_t) -> String {
        switch reply.reply_type {
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            return String(cString: amqp_error_string2(reply.library_error))
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            if reply.reply.id == Method.channelClose {
                let close = reply.reply.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
                return "channel closed by the broker: \(close.reply_code) \(close.reply_text.string)"
            }
            if reply.reply.id == Method.connectionClose {
                let close = reply.reply.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
                return "connection closed by the broker: \(close.reply_code) \(close.reply_text.string)"
            }
            return "broker error (method \(reply.reply.id))"
        default:
            return "no reply"
        }
    }

    /// AMQP method ids (class << 16 | method), as in amqp_framing.h.
    enum Method {
        static let connectionClose: amqp_method_number_t = 0x000A_0032
        static let channelClose: amqp_method_number_t = 0x0014_0028
        static let basicAck: amqp_method_number_t = 0x003C_0050
        static let basicNack: amqp_method_number_t = 0x003C_0078
    }
}

extension timeval {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
