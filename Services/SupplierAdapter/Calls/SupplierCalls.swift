// Calls to suppliers with everything a slow, unreliable supplier needs around them: its enabled
// state, its breaker, its connection limit, a deadline per attempt, retries with backoff for safe
// operations only, and a metric and a `supplier.call` event for every attempt. A booking (or a
// cancellation) is never sent twice: when its answer is lost, the booking is looked up instead.

import FoundationEssentials
import Logging
import Prometheus
import Shared

struct SupplierCalls: Sendable {
    let lanes: SupplierLanes
    let retry: RetryPolicy
    let recorder: CallRecorder
    let registry: PrometheusCollectorRegistry
    let logger: Logger
    /// How often, and how far apart, a booking whose answer was lost is looked up by reference.
    var lookupAttempts = 4
    var lookupPause: Duration = .milliseconds(500)

    func availability(_ code: String, _ query: AvailabilityQuery) async throws(SupplierFailure) -> [SupplierOffer] {
        let stay = query.stay
        return try await call(code, .availability, describing: { AnswerSummary(offers: $0.count, stay: stay, quotes: HotelQuote.cheapest($0)) }) {
            client, timeout throws(SupplierFailure) in try await client.availability(query, timeout: timeout)
        }
    }

    func checkRate(_ code: String, _ request: RateCheckRequest) async throws(SupplierFailure) -> RateCheckResult {
        do {
            let offer = try await call(code, .rateCheck) { client, timeout throws(SupplierFailure) in try await client.checkRate(request.rateKey, timeout: timeout) }
            let changed = request.expectedNet.map { $0 != offer.net } ?? false
            return RateCheckResult(status: changed ? .priceChanged : .available, offer: offer)
        } catch .soldOut {
            return RateCheckResult(status: .soldOut, offer: nil)
        }
    }

    /// Books once. If the answer is lost (timeout, 5xx, unreadable), the supplier may have booked:
    /// the booking is looked up by our reference; only a booking found, or a clear "no", is answered.
    func book(_ code: String, _ request: SupplierBookingRequest) async throws(SupplierFailure) -> SupplierBooking {
        do {
            return try await call(code, .book, timeoutOf: \.bookingTimeoutMs) { client, timeout throws(SupplierFailure) in try await client.book(request, timeout: timeout) }
        } catch let failure where failure.mayHaveTakenEffect {
            logger.warning("booking answer lost; looking it up by reference", metadata: [
                "supplier": .string(code), "clientReference": .string(request.clientReference), "failure": .string(failure.outcome),
            ])
            return try await recoverBooking(code, clientReference: request.clientReference)
        }
    }

    func recoverBooking(_ code: String, clientReference: String) async throws(SupplierFailure) -> SupplierBooking {
        for attempt in 1...lookupAttempts {
            if let found = try? await bookings(code, clientReference: clientReference), let booking = found.first(where: { $0.status == .confirmed }) ?? found.first {
                if found.count > 1 {
                    logger.critical("supplier holds several bookings for one reference", metadata: [
                        "supplier": .string(code), "clientReference": .string(clientReference), "count": .string(String(found.count)),
                    ])
                }
                registry.makeCounter(name: "supplier_bookings_recovered_total", labels: [("supplier", code)]).increment()
                return booking
            }
            if attempt < lookupAttempts { try? await Task.sleep(for: lookupPause) }
        }
        throw .bookingOutcomeUnknown(clientReference: clientReference)
    }

    func bookings(_ code: String, clientReference: String) async throws(SupplierFailure) -> [SupplierBooking] {
        try await call(code, .bookingLookup) { client, timeout throws(SupplierFailure) in try await client.bookings(clientReference: clientReference, timeout: timeout) }
    }

    func statement(_ code: String, from: CalendarDate, to: CalendarDate) async throws(SupplierFailure) -> [SupplierStatementRow] {
        try await call(code, .statement) { client, timeout throws(SupplierFailure) in try await client.statement(from: from, to: to, timeout: timeout) }
    }

    func booking(_ code: String, reference: String) async throws(SupplierFailure) -> SupplierBooking {
        try await call(code, .bookingRead) { client, timeout throws(SupplierFailure) in try await client.booking(reference: reference, timeout: timeout) }
    }

    /// A quote (`simulate`) is repeated like any read; a real cancellation is sent once, and if its
    /// answer is lost the booking is read back to see whether it is cancelled.
    func cancel(_ code: String, reference: String, simulate: Bool) async throws(SupplierFailure) -> SupplierCancellation {
        if simulate {
            return try await call(code, .cancelQuote) { client, timeout throws(SupplierFailure) in try await client.cancel(reference: reference, simulate: true, timeout: timeout) }
        }
        do {
            return try await call(code, .cancel, timeoutOf: \.bookingTimeoutMs) { client, timeout throws(SupplierFailure) in
                try await client.cancel(reference: reference, simulate: false, timeout: timeout)
            }
        } catch let failure where failure.mayHaveTakenEffect {
            let booking = try await self.booking(code, reference: reference)
            guard booking.status == .cancelled else { throw failure }
            return SupplierCancellation(supplier: code, reference: reference, simulated: false, status: .cancelled,
                                        penalty: CancellationPolicy.penalty(booking.cancellationPolicies, at: Date()), currency: booking.currency)
        }
    }

    func hotels(_ code: String, page: Int) async throws(SupplierFailure) -> SupplierHotelPage {
        try await call(code, .content) { client, timeout throws(SupplierFailure) in try await client.hotels(page: page, timeout: timeout) }
    }

    // MARK: one call, with its attempts

    func call<T: Sendable>(
        _ code: String, _ operation: SupplierOperation, timeoutOf timeout: KeyPath<SupplierConfig, Int> = \.timeoutMs,
        describing describe: (@Sendable (T) -> AnswerSummary)? = nil, _ body: (any SupplierClient, Duration) async throws(SupplierFailure) -> T
    ) async throws(SupplierFailure) -> T {
        guard let lane = lanes.lane(code) else { throw .unknownSupplier(code) }
        guard lane.config.enabled, lane.config.status != .suspended else { throw .disabled }
        let deadline = Duration.milliseconds(lane.config[keyPath: timeout])
        var attempt = 1
        var random = SystemRandomNumberGenerator()
        while true {
            do {
                return try await once(lane, operation, attempt: attempt, timeout: deadline, describing: describe, body)
            } catch let failure {
                guard retry.retries(operation, after: failure, attempt: attempt) else { throw failure }
                try? await Task.sleep(for: retry.delay(after: attempt, using: &random))
                attempt += 1
            }
        }
    }

    private func once<T: Sendable>(
        _ lane: SupplierLane, _ operation: SupplierOperation, attempt: Int, timeout: Duration, describing describe: (@Sendable (T) -> AnswerSummary)?,
        _ body: (any SupplierClient, Duration) async throws(SupplierFailure) -> T
    ) async throws(SupplierFailure) -> T {
        let code = lane.config.code
        guard lane.breaker.withLockedValue({ $0.permit(at: .now) }) else {
            report(lane, operation, outcome: SupplierFailure.circuitOpen.outcome, started: .now, attempt: attempt)
            throw .circuitOpen
        }
        let started = ContinuousClock.now
        guard await lane.limit.acquire(patience: timeout) else {
            report(lane, operation, outcome: SupplierFailure.busy.outcome, started: started, attempt: attempt)
            throw .busy
        }
        let result: Result<T, SupplierFailure>
        do {
            result = .success(try await body(lane.client, timeout - started.duration(to: .now)))
        } catch {
            result = .failure(error)
        }
        await lane.limit.release()
        let supplierFault: Bool
        switch result {
        case .success: supplierFault = false
        case .failure(let failure): supplierFault = failure.isSupplierFault
        }
        let state = lane.breaker.withLockedValue { breaker in
            breaker.record(success: !supplierFault, at: .now)
            return breaker.gaugeValue
        }
        registry.makeGauge(name: "supplier_circuit_breaker_state", labels: [("supplier", code)]).set(Double(state))
        switch result {
        case .success(let value):
            report(lane, operation, outcome: "ok", started: started, attempt: attempt, answer: describe?(value))
            return value
        case .failure(let failure):
            report(lane, operation, outcome: failure.outcome, started: started, attempt: attempt)
            if case .malformed(let why) = failure {
                logger.warning("malformed supplier answer", metadata: ["supplier": .string(code), "operation": .string(operation.rawValue), "problem": .string(why)])
            }
            throw failure
        }
    }

    private func report(_ lane: SupplierLane, _ operation: SupplierOperation, outcome: String, started: ContinuousClock.Instant, attempt: Int, answer: AnswerSummary? = nil) {
        let elapsed = started.duration(to: .now)
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        recorder.record(SupplierCallEvent(supplier: lane.config.code, operation: operation.rawValue, outcome: outcome,
                                          latencyMs: (milliseconds * 100).rounded() / 100, attempt: attempt, at: Date(), offers: answer?.offers,
                                          stay: answer?.stay, quotes: answer?.quotes))
    }
}

/// What an availability answer tells matching: how many offers, and the cheapest per hotel for the stay.
struct AnswerSummary: Sendable {
    var offers: Int
    var stay: String
    var quotes: [HotelQuote]
}
