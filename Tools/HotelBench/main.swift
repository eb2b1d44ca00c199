// hotel-bench: measurements of the data kit against real servers, run by scripts/bench/*.sh.
//   hotel-bench pool SECONDS CONNECTIONS CONCURRENCY   trivial queries through PostgresPool
//   hotel-bench outbox-throughput EVENTS               commit -> consumed, as fast as it goes
//   hotel-bench outbox-lag RATE SECONDS                commit -> consumed latency at a steady rate
//   hotel-bench paced RATE SECONDS URL [HEADER ...]    GET latency at an even rate (open loop)
//   hotel-bench paced-post RATE SECONDS URL BODIES in-turn|zipf [HEADER ...]
//                                                      POSTs of the bodies in file BODIES (one a line), the same way
//   hotel-bench credit-pairs URL TENANTS CURRENCY SECONDS CONCURRENCY
//                                                      reserve + capture pairs on risk (TENANTS comma-separated)
//   hotel-bench bookings GATEWAY TOKEN OFFERS_FILE SECONDS CONCURRENCY ORDERS_FILE
//                                                      price check + booking, closed loop (confirmed a second)
//   hotel-bench bookings-paced GATEWAY TOKEN OFFERS_FILE RATE SECONDS ORDERS_FILE
//                                                      the booking call's latency at RATE bookings a second
//   hotel-bench mixed GATEWAY TOKEN SEARCHES_FILE OFFERS_FILE RATE SECONDS ORDERS_FILE [TIMELINE_FILE]
//                                                      90 % search, 7 % price check, 2 % booking, 1 % cancellation at RATE
//   hotel-bench coding FILE COUNT                      a cached supplier answer read and written COUNT times (ms each)
//   hotel-bench coding-prices FILE COUNT               pricing's batch read, and its answer written, COUNT times (ms each)

import Foundation
import NIOCore
import Shared

signal(SIGPIPE, SIG_IGN)
let arguments = CommandLine.arguments.dropFirst().map { $0 }
let env = EnvironmentVariables()
do {
    switch arguments.first {
    case "pool":
        try await PoolBench.run(env, seconds: Int(arguments[1])!, connections: Int(arguments[2])!, concurrency: Int(arguments[3])!)
    case "outbox-throughput":
        try await OutboxBench.throughput(env, events: Int(arguments[1])!)
    case "outbox-lag":
        try await OutboxBench.lag(env, rate: Int(arguments[1])!, seconds: Int(arguments[2])!)
    case "paced":
        try await PacedLoad.run(rate: Int(arguments[1])!, seconds: Int(arguments[2])!, url: arguments[3], headers: Array(arguments.dropFirst(4)))
    case "paced-post":
        let bodies = try String(contentsOfFile: arguments[4], encoding: .utf8).split(separator: "\n").map { ByteBuffer(string: String($0)) }
        try await PacedLoad.run(
            rate: Int(arguments[1])!, seconds: Int(arguments[2])!, url: arguments[3], headers: Array(arguments.dropFirst(6)), bodies: bodies,
            pick: PacedLoad.Pick(rawValue: arguments[5]) ?? .inTurn)
    case "credit-pairs":
        try await CreditBench.pairs(
            url: arguments[1], tenants: arguments[2].split(separator: ",").map(String.init), currency: arguments[3], seconds: Int(arguments[4])!,
            concurrency: Int(arguments[5])!)
    case "holds":
        let keys = try String(contentsOfFile: arguments[2], encoding: .utf8).split(separator: "\n").map(String.init)
        try await HoldBench.holds(url: arguments[1], keys: keys, seconds: Int(arguments[3])!, concurrency: Int(arguments[4])!)
    case "bookings", "bookings-paced":
        let offers = try String(contentsOfFile: arguments[3], encoding: .utf8).split(separator: "\n").map(String.init)
        if arguments[0] == "bookings" {
            try await BookingBench.saturation(
                gateway: arguments[1], token: arguments[2], offers: offers, seconds: Int(arguments[4])!, concurrency: Int(arguments[5])!, ordersFile: arguments[6])
        } else {
            try await BookingBench.paced(gateway: arguments[1], token: arguments[2], offers: offers, rate: Int(arguments[4])!, seconds: Int(arguments[5])!,
                                         ordersFile: arguments[6])
        }
    case "mixed":
        let searches = try String(contentsOfFile: arguments[3], encoding: .utf8).split(separator: "\n").map { ByteBuffer(string: String($0)) }
        let offers = try String(contentsOfFile: arguments[4], encoding: .utf8).split(separator: "\n").map(String.init)
        guard !searches.isEmpty, !offers.isEmpty else { throw PacedLoad.Usage("mixed needs at least one search body and one offer id") }
        try await MixedLoad.run(gateway: arguments[1], token: arguments[2], searches: searches, offers: offers, rate: Int(arguments[5])!,
                                seconds: Int(arguments[6])!, ordersFile: arguments[7], timelineFile: arguments.count > 8 ? arguments[8] : nil)
    case "coding":
        try CodingBench.run(file: arguments[1], count: Int(arguments[2])!)
    case "coding-prices":
        try CodingBench.prices(file: arguments[1], count: Int(arguments[2])!)
    default:
        print("usage: hotel-bench pool SECONDS CONNECTIONS CONCURRENCY | outbox-throughput EVENTS | outbox-lag RATE SECONDS | paced RATE SECONDS URL [HEADER ...] | paced-post RATE SECONDS URL BODIES in-turn|zipf [HEADER ...] | credit-pairs URL TENANTS CURRENCY SECONDS CONCURRENCY | holds URL RATE_KEYS_FILE SECONDS CONCURRENCY | bookings GATEWAY TOKEN OFFERS SECONDS CONCURRENCY ORDERS | bookings-paced GATEWAY TOKEN OFFERS RATE SECONDS ORDERS | mixed GATEWAY TOKEN SEARCHES OFFERS RATE SECONDS ORDERS [TIMELINE] | coding FILE COUNT | coding-prices FILE COUNT")
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("hotel-bench: \(error)\n".utf8))
    exit(1)
}
