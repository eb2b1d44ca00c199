// A TCP client that sends exactly the bytes a test writes (malformed requests, requests sent a byte at
// a time) and records everything the server answers, and when it closed the connection.

import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

public final class RawConnection: Sendable {
    let channel: any Channel
    let recorder: Recorder

    /// Connects to 127.0.0.1:`port`.
    public static func open(port: Int) async throws -> RawConnection {
        let recorder = Recorder()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelInitializer { $0.pipeline.addHandler(recorder) }
            .connect(host: "127.0.0.1", port: port).get()
        return RawConnection(channel: channel, recorder: recorder)
    }

    init(channel: any Channel, recorder: Recorder) {
        self.channel = channel
        self.recorder = recorder
    }

    public func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text))
    }

    /// Everything the server sent so far.
    public var received: String { recorder.state.withLockedValue { String(decoding: $0.bytes, as: UTF8.self) } }

    /// Whether the server closed (or half-closed) its side.
    public var closedByServer: Bool { recorder.state.withLockedValue { $0.ended } }

    /// Waits until the server closes its side, up to `limit`; true when it did.
    public func waitForClose(within limit: Duration) async throws -> Bool {
        try await eventually(within: limit) { closedByServer }
    }

    /// Closes the client's side.
    public func close() async {
        try? await channel.close()
    }

    final class Recorder: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let state = NIOLockedValueBox<(bytes: [UInt8], ended: Bool)>(([], false))

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            state.withLockedValue { $0.bytes += buffer.readableBytesView }
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case ChannelEvent.inputClosed = event { state.withLockedValue { $0.ended = true } }
            context.fireUserInboundEventTriggered(event)
        }

        func channelInactive(context: ChannelHandlerContext) {
            state.withLockedValue { $0.ended = true }
            context.fireChannelInactive()
        }
    }
}
