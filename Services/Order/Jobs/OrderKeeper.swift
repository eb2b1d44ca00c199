// The order keeper, on every replica: each round it runs the sagas that are due and that nobody
// runs (a failed step's retry, an order whose runner crashed: its lease ran out), closes holds past
// their expiry, completes stays whose check-out has passed and forgets day-old Idempotency-Keys.
// At start its first round picks up whatever a crash left in flight.

import FoundationEssentials
import Logging
import ServiceLifecycle
import Shared

struct OrderKeeper: Service {
    let desk: OrderDesk
    let interval: Duration
    let logger: Logger
    /// Sagas run at once per round.
    var concurrency = 16

    var repository: OrderRepository { desk.repository }

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            do {
                try await round()
            } catch {
                logger.warning("order keeper round failed", metadata: ["error": .string("\(error)")])
            }
            await Task.pause(for: interval)
        }
    }

    func round() async throws {
        try await runDue()
        for id in try await repository.expiredHolds(limit: 100) {
            guard let order = try await repository.claim(id) else { continue }
            guard order.step == .awaitConfirmation else {
                try await repository.letGo(order)
                continue
            }
            let failure = OrderFailure(status: 409, code: "hold_expired", detail: "The order was not confirmed before its hold expired.")
            let closing = try await desk.saga.advance(order, nil, to: .release, note: "hold_expired", actor: "keeper", origin: .job()) {
                $0.closing = .expired
                $0.failure = failure
            }
            _ = await desk.saga.run(closing, origin: .job())
        }
        for id in try await repository.staysOver(today: CalendarDate(utc: Date()), limit: 500) {
            guard let order = try await repository.claim(id) else { continue }
            guard order.state.order == .confirmed, order.step == .done else {
                try await repository.letGo(order)
                continue
            }
            _ = try await desk.saga.advance(order, .completed, to: .done, actor: "keeper", origin: .job())
        }
        let forgotten = try await repository.forgetOldKeys()
        if forgotten > 0 { logger.info("idempotency keys forgotten", metadata: ["count": .stringConvertible(forgotten)]) }
    }

    /// Runs the due sagas, `concurrency` at a time.
    func runDue() async throws {
        let due = try await repository.due(limit: 200)
        guard !due.isEmpty else { return }
        await withTaskGroup(of: Void.self) { group in
            var started = 0
            for id in due {
                if started >= concurrency { await group.next() }
                started += 1
                group.addTask {
                    guard let order = try? await repository.claim(id) else { return }
                    _ = await desk.saga.run(order, origin: .job())
                }
            }
        }
    }
}

/// risk's decision on a review wakes the order's saga at once (instead of at its next poll).
enum ReviewDecisions {
    struct Decided: Decodable, Sendable {
        var orderId: String
        enum CodingKeys: String, CodingKey { case orderId = "order_id" }
    }

    static func handling(repository: OrderRepository) -> EventHandling<Decided> {
        EventHandling(queue: "order.risk-reviews", events: ["risk.review.decided"], schema: "orders") { events, transaction in
            let ids = events.compactMap { UUID(uuidString: $0.payload.orderId) }
            guard !ids.isEmpty else { return }
            try transaction.connection.execute(
                "UPDATE orders.orders SET next_attempt_at = now() WHERE id = ANY($1::uuid[]) AND step = 'review'",
                [PostgresArray(ids.map { $0.uuidString.lowercased() })])
        }
    }
}
