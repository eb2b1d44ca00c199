// Each connection's pipeline: Hummingbird's HTTP/1 channel, with the platform's request deadlines,
// an optional cap on connections per client, and room for a service's own handlers between NIO's
// HTTP/1 parts and their conversion to HTTP types (the gateway's fast lane answers there, so its
// requests and answers are never converted both ways).

import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

struct PlatformHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let timeouts: RequestTimeouts
    let connectionLimit: ClientConnectionLimit?
    /// Handlers of NIO's HTTP/1 parts (`HTTPServerRequestPart`, `HTTPServerResponsePart`).
    let handlers: @Sendable () -> [any RemovableChannelHandler]

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            // As Hummingbird's HTTP1Channel (its default limits; HTTP types validate what goes out).
            var limits = NIOHTTPDecoderLimitConfiguration()
            limits.maxHeaderFieldSize = 80 * 1024
            limits.maxHeaderListSize = 80 * 1024
            limits.maxHeaderFieldCount = 1000
            let deadlines = RequestDeadlines(timeouts).handlers
            try channel.pipeline.syncOperations.addHandler(deadlines.bytes)
            try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                withPipeliningAssistance: false, withErrorHandling: false, withOutboundHeaderValidation: false, withEncoderConfiguration: .init(),
                withDecoderLimitConfiguration: limits)
            try channel.pipeline.syncOperations.addHandler(MalformedRequests())
            try channel.pipeline.syncOperations.addHandler(deadlines.parts)
            try channel.pipeline.syncOperations.addHandlers(handlers())
            try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try channel.pipeline.syncOperations.addHandler(HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
            let value = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
            // Refused by closing: the handler then reads nothing and ends (a failed set-up would
            // stop the server's accept loop).
            if let connectionLimit, !connectionLimit.admit(channel) {
                logger.debug("connection refused: too many from one client", metadata: ["client": .string(channel.remoteAddress?.ipAddress ?? "?")])
                channel.close(promise: nil)
            }
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: value, logger: logger)
    }
}
