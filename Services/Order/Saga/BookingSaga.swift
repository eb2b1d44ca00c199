// The booking saga: runs an order's steps (SagaStep) one after another, each change persisted
// before the next call out, until the order waits (for the distributor, an operator) or ends. The
// caller holds the order's lease; a failed call leaves the order where it is, to be tried again
// later (the keeper), never repeated blindly.

import FoundationEssentials
import Logging
import Prometheus
import Shared

struct SagaSettings: Sendable {
    /// How long an order may stay on hold (or in review) unconfirmed: ORDER_EXPIRY_MINUTES.
    var orderExpiry: Duration
    /// Look-ups of a booking whose answer was lost before it counts as not made.
    var reconcileAttempts: Int
    /// Credit is held this long at most; the saga releases or captures it well before.
    var creditHoldSeconds = 86_400
    /// Rooms of a direct contract held while the saga confirms them at once.
    var inventoryHoldSeconds = 900
    /// Between attempts of a failed step: doubled each time from `retryBase`, at most `retryCap`.
    var retryBase: Duration = .seconds(1)
    var retryCap: Duration = .seconds(60)
    /// How often a pending review is asked about (risk's event about a decision comes sooner).
    var reviewPoll: Duration = .seconds(30)
    /// Other suppliers tried after the first refused (order.fallback.enabled).
    var maximumFallbacks = 2

    func backoff(_ attempts: Int) -> Duration {
        min(retryCap, retryBase * (1 << min(attempts, 16)))
    }
}

final class BookingSaga: Sendable {
    let repository: OrderRepository
    let calls: SagaCalls
    let settings: SagaSettings
    let config: ConfigClient?
    let logger: Logger
    let impossible: Counter
    /// `order_events_total{event}`: the orders that reached each event (payment_captured: booked).
    let happened: [OrderEvent: Counter]

    init(repository: OrderRepository, calls: SagaCalls, settings: SagaSettings, config: ConfigClient?, logger: Logger, registry: PrometheusCollectorRegistry) {
        self.repository = repository
        self.calls = calls
        self.settings = settings
        self.config = config
        self.logger = logger
        impossible = registry.makeCounter(name: "order_transitions_refused_total")
        happened = Dictionary(uniqueKeysWithValues: OrderEvent.allCases.map { ($0, registry.makeCounter(name: "order_events_total", labels: [("event", $0.rawValue)])) })
    }

    /// Runs `start` (its lease held) until it waits or ends, or a step fails (then it is left to
    /// the keeper's next round); the order as it is then.
    func run(_ start: Order, origin: CallOrigin) async -> Order {
        var order = start
        while order.step.runsAlone {
            do {
                order = try await perform(order, origin: origin)
            } catch SagaStop.changed {
                return (try? await repository.order(order.id)) ?? order
            } catch SagaStop.retry(let after, let failed) {
                try? await repository.letGo(order, retryAt: Date() + Double(after.components.seconds), failedAttempt: failed)
                return order
            } catch {
                let pause = settings.backoff(order.attempts)
                logger.warning("order step failed; it is tried again", metadata: [
                    "orderId": .string(order.id.uuidString), "step": .string(order.step.rawValue), "attempt": .stringConvertible(order.attempts + 1),
                    "error": .string("\(error)"),
                ])
                try? await repository.letGo(order, retryAt: Date() + Double(pause.components.seconds), failedAttempt: true)
                return order
            }
        }
        // A change to a waiting step gave the lease back already; an order that was waiting when claimed has it still.
        if order.version == start.version { try? await repository.letGo(order) }
        return order
    }

    func perform(_ order: Order, origin: CallOrigin) async throws -> Order {
        switch order.step {
        case .check: try await check(order, origin: origin)
        case .assess: try await assess(order, origin: origin)
        case .review: try await decided(order, try await calls.risk.assessment(of: order.key, origin: origin), origin: origin)
        case .reserve: try await reserve(order, origin: origin)
        case .book: try await (order.isDirect ? holdRooms(order, origin: origin) : book(order, origin: origin))
        case .confirm: try await confirm(order, origin: origin)
        case .reconcile: try await reconcile(order, origin: origin)
        case .capture: try await capture(order, origin: origin)
        case .release: try await release(order, origin: origin)
        case .cancel: try await cancel(order, origin: origin)
        case .awaitConfirmation, .done: order
        }
    }

    /// Writes `order` as `change` leaves it, after `event` (if any), at `step`: one compare-and-swap
    /// with its history row and events. An event the transition table does not allow is refused,
    /// logged and counted, and the order left alone for ten minutes.
    func advance(
        _ order: Order, _ event: OrderEvent?, to step: SagaStep, note: String? = nil, actor: String = "saga", detail: JSONValue? = nil,
        origin: CallOrigin, _ change: (inout Order) -> Void = { _ in }
    ) async throws -> Order {
        var next = order
        change(&next)
        if let event {
            do {
                next.state = try OrderTransitions.next(order.state, on: event)
            } catch {
                impossible.increment()
                logger.error("impossible order transition refused", metadata: [
                    "orderId": .string(order.id.uuidString), "from": .string(order.state.description), "event": .string(event.rawValue), "step": .string(order.step.rawValue),
                ])
                throw SagaStop.retry(after: .seconds(600), failed: true)
            }
        }
        next.step = step
        if step != order.step { next.attempts = 0 }
        if next.state.order == .closed, order.state.order != .closed { next.closedAt = Date() }
        let events = try event.map { try OrderEvents.envelopes(for: $0, next, trace: origin.trace) } ?? []
        let change = OrderRepository.Change(event: event?.rawValue ?? note ?? step.rawValue, actor: actor, detail: detail, events: events, keepLease: step.runsAlone)
        guard let saved = try await repository.save(next, over: order, change) else { throw SagaStop.changed }
        if let event { happened[event]?.increment() }
        return saved
    }

    /// Closes an order that could not be made, with what its POST answers.
    func fail(_ order: Order, _ event: OrderEvent, _ failure: OrderFailure, origin: CallOrigin) async throws -> Order {
        try await advance(order, event, to: .done, detail: .object(["code": .string(failure.code), "detail": .string(failure.detail)]), origin: origin) {
            $0.failure = failure
        }
    }

    /// Runs `body` (a long call) while renewing the order's lease, so that no one takes the order over meanwhile.
    func keepingLease<T: Sendable>(_ order: Order, _ body: () async throws -> T) async throws -> T {
        let repository = repository
        let renewer = Task {
            while !Task.isCancelled {
                await Task.pause(for: repository.lease / 3)
                if Task.isCancelled { break }
                _ = try? await repository.renew(order)
            }
        }
        defer { renewer.cancel() }
        return try await body()
    }
}

extension Order {
    /// The order id as other services key it.
    var key: String { id.uuidString.lowercased() }
}
