// Receiving channel-manager messages (verified and forwarded by the gateway): each answered once per
// signed message (a repeat gets the first answer and changes nothing). A message that reads and
// names the contract's own hotel, room types and rate plans is applied at once in one transaction
// when flag `supplier.realtime.sync` is on for the channel, else queued for the periodic sync
// (ChannelSync, every SYNC_INTERVAL_MS), which applies queued messages in the order they came.

import FoundationEssentials
import Logging
import Shared

struct ChannelDesk: Sendable {
    let catalog: ContractCatalog
    let calendar: CalendarRepository
    let messages: ChannelRepository
    let sellable: SellableCache
    let config: ConfigClient?
    let logger: Logger
    var clock: @Sendable () -> Date = { Date() }

    static let realtimeFlag = "supplier.realtime.sync"

    /// The OTA answer to `body` from `channel`; a problem when it is not an OTA notification at all.
    func receive(channel: String, key: String, body: [UInt8], trace: TraceContext?) async throws -> String {
        if let earlier = try await messages.answer(channel: channel, key: key) { return earlier }
        let root: XMLElement
        do {
            root = try XMLElement(parsing: body)
        } catch {
            throw Problem(.badRequest, code: "invalid_xml", detail: "The message is not well-formed XML: \(error).")
        }
        guard let kind = ChannelMessage.kind(of: root) else {
            throw Problem(.badRequest, code: "unsupported_message",
                          detail: "Send OTA_HotelAvailNotifRQ or OTA_HotelRateAmountNotifRQ (got \(root.localName.prefix(60))).")
        }
        let text = String(decoding: body, as: UTF8.self)
        let realtime = config?.isEnabled(Self.realtimeFlag, tenant: channel) ?? false
        let outcome = try await prepare(root, channel: channel)
        let answer = ChannelMessage.answer(kind, echoToken: root["EchoToken"], errors: outcome.errors, at: clock())
        guard case .ready(let hotel, let updates) = outcome else {
            return try await kept(channel: channel, key: key, kind: kind, body: text, status: .refused, answer: answer, problems: outcome.problems)
        }
        guard realtime else {
            return try await kept(channel: channel, key: key, kind: kind, body: text, status: .queued, answer: answer)
        }
        // Messages queued before the flag went on come first: the newest state wins.
        try await drain(channel: channel)
        do {
            try await calendar.apply(updates, hotel: hotel, cause: .channel, trace: trace) { connection in
                try ChannelRepository.keep(on: connection, channel: channel, key: key, kind: kind.rawValue, body: text, answer: answer)
            }
            sellable.forget(hotel)
            return answer
        } catch let problem as Problem where problem.code == "allotment_below_sold" {
            let refusal = ChannelMessage.answer(kind, echoToken: root["EchoToken"], errors: [OTAError.unableToProcess(problem.detail)], at: clock())
            return try await kept(channel: channel, key: key, kind: kind, body: text, status: .refused, answer: refusal, problems: problem.detail)
        } catch let error as PostgresError where error.isUniqueViolation {
            // The same message applied meanwhile by another call: its answer stands.
            return try await messages.answer(channel: channel, key: key) ?? answer
        }
    }

    enum Prepared: Sendable {
        case ready(hotel: Int64, updates: [CalendarUpdate])
        case refused(OTAError)

        var errors: [OTAError] {
            if case .refused(let error) = self { return [error] }
            return []
        }

        var problems: String? { errors.first.map { "\($0.code): \($0.text)" } }
    }

    /// The message read and checked against the channel's hotel.
    func prepare(_ root: XMLElement, channel: String) async throws -> Prepared {
        do throws(OTAError) {
            let message = try ChannelMessage(root)
            let contracts = try await contractsOrRethrow()
            guard let hotel = contracts.values.first(where: { $0.channel == channel && $0.channelHotelCode == message.hotelCode }) else {
                throw OTAError(type: 3, code: 392, text: "Hotel \(message.hotelCode.prefix(50)) is not contracted through channel \(channel).")
            }
            return .ready(hotel: hotel.hotelId, updates: try message.updates(for: hotel, today: CalendarDate(utc: clock())))
        } catch {
            return .refused(error)
        }
    }

    /// The catalog (an OTA error cannot carry a database failure: that one goes up as it is).
    private func contractsOrRethrow() async throws(OTAError) -> [Int64: ContractHotel] {
        do {
            return try await catalog.contracts()
        } catch {
            throw OTAError(type: 12, code: 450, text: "Contracts cannot be read now; send the message again.")
        }
    }

    private func kept(channel: String, key: String, kind: ChannelMessage.Kind, body: String, status: ChannelRepository.Status, answer: String,
                      problems: String? = nil) async throws -> String {
        if try await messages.keep(channel: channel, key: key, kind: kind.rawValue, body: body, status: status, answer: answer, problems: problems) {
            return answer
        }
        return try await messages.answer(channel: channel, key: key) ?? answer
    }

    /// Applies queued messages (of one channel, or all) in the order they came; how many it applied.
    @discardableResult
    func drain(channel: String? = nil) async throws -> Int {
        var applied = 0
        while true {
            let queued = try await messages.queued(channel: channel)
            for message in queued {
                if try await apply(message) { applied += 1 }
            }
            if queued.count < 100 { return applied }
        }
    }

    /// One queued message: applied and marked so in one transaction, or marked refused with why.
    private func apply(_ message: ChannelRepository.Stored) async throws -> Bool {
        struct TakenElsewhere: Error {}
        let root = try XMLElement(parsing: Array(message.body.utf8))
        let prepared = try await prepare(root, channel: message.channel)
        guard case .ready(let hotel, let updates) = prepared else {
            let problems = prepared.problems ?? "refused"
            try await messages.markRefused(message.id, problems: problems)
            logger.warning("queued channel message refused", metadata: ["channel": .string(message.channel), "id": .stringConvertible(message.id), "problems": .string(problems)])
            return false
        }
        do {
            try await calendar.apply(updates, hotel: hotel, cause: .channel, trace: nil) { connection in
                guard try ChannelRepository.markApplied(message.id, on: connection) else { throw TakenElsewhere() }
            }
            sellable.forget(hotel)
            return true
        } catch is TakenElsewhere {
            return false
        } catch let problem as Problem where problem.code == "allotment_below_sold" {
            try await messages.markRefused(message.id, problems: problem.detail)
            logger.warning("queued channel message refused", metadata: ["channel": .string(message.channel), "id": .stringConvertible(message.id), "problems": .string(problem.detail)])
            return false
        }
    }
}
