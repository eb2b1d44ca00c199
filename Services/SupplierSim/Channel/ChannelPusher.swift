// Sends the simulated channel manager's messages to the platform, signed as the gateway's channel
// webhook expects (`X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">` with the
// channel's secret), on demand (the simulator's admin API) and, when SIM_CHANNEL_URL is set, every
// SIM_CHANNEL_INTERVAL_MS.

import FoundationEssentials
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle
import Shared

final class ChannelPusher: Service, Sendable {
    let channel: SimulatedChannel
    let secret: String
    let url: String?
    let interval: Duration?
    let logger: Logger
    private let http = HTTP1Client(connectTimeout: .seconds(2))
    private let rounds = NIOLockedValueBox(0)

    init(channel: SimulatedChannel, secret: String, url: String?, interval: Duration?, logger: Logger) {
        self.channel = channel
        self.secret = secret
        self.url = url
        self.interval = interval
        self.logger = logger
    }

    struct Sent: Encodable, Sendable {
        var hotel: String
        var kind: String
        var status: Int
        var success: Bool
    }

    struct Round: Encodable, Sendable {
        var round: Int
        var sent: [Sent]
    }

    /// One round to `url` (the gateway's `/api/v1/webhooks/channels/simcm`) for `days` nights from today.
    func push(to url: String, days: Int) async -> Round {
        let round = rounds.withLockedValue { $0 += 1; return $0 }
        var sent: [Sent] = []
        for message in channel.messages(from: CalendarDate(utc: Date()), days: days, round: round) {
            let body = Array(message.body.utf8)
            let now = Int(Date().timeIntervalSince1970)
            let signature = SignedHeader.make(timestamp: now, mac: Digest.hmacSHA256(key: Array(secret.utf8), message: Array("\(now).".utf8) + body))
            do {
                let answer = try await http.execute(
                    .post, url, headers: [.contentType: "application/xml", .signature: signature], body: ByteBuffer(bytes: body), timeout: .seconds(30))
                let text = String(buffer: answer.body)
                sent.append(Sent(hotel: message.hotel, kind: message.kind, status: answer.status.code, success: text.contains("<Success/>")))
            } catch {
                logger.warning("channel message not delivered", metadata: ["hotel": .string(message.hotel), "error": .string("\(error)")])
                sent.append(Sent(hotel: message.hotel, kind: message.kind, status: 0, success: false))
            }
        }
        return Round(round: round, sent: sent)
    }

    func run() async throws {
        guard let url, let interval else {
            try? await gracefulShutdown()
            await http.shutdown()
            return
        }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await Task.pause(for: interval)
            guard !Task.isShuttingDownGracefully && !Task.isCancelled else { break }
            let round = await push(to: url, days: 30)
            logger.info("channel round pushed", metadata: ["round": .stringConvertible(round.round), "accepted": .stringConvertible(round.sent.filter(\.success).count)])
        }
        await http.shutdown()
    }
}
