// Everything that can go wrong in a supplier call, sorted by what it means for the caller: whether
// to try again, whether it counts against the supplier's breaker, and what the platform answers.

import Hummingbird
import Shared

enum SupplierFailure: Error, Equatable, Sendable {
    /// No answer within the deadline: the supplier may or may not have acted.
    case timeout
    /// No connection could be made: the supplier did not receive the call.
    case unreachable(String)
    /// The supplier answered 5xx.
    case serverError(status: Int, message: String)
    /// An answer that does not parse or lacks what the protocol requires.
    case malformed(String)
    case authentication(String)
    /// The supplier understood and said no (bad rate key, invalid request).
    case rejected(code: String, message: String)
    case soldOut
    case priceChanged(String)
    case notFound(String)
    /// A booking whose outcome could not be established (timed out, and not found by reference yet).
    case bookingOutcomeUnknown(clientReference: String)
    case circuitOpen
    case busy
    case disabled
    case unknownSupplier(String)

    /// Safe operations may be tried again after these.
    var isTransient: Bool {
        switch self {
        case .timeout, .unreachable, .serverError, .malformed, .busy: true
        default: false
        }
    }

    /// What opens the supplier's breaker: the supplier failing, not the supplier saying no (the
    /// same split matching learns reliability by).
    var isSupplierFault: Bool { SupplierCallEvent.faultOutcomes.contains(outcome) }

    /// A state-changing call (book, cancel) may have taken effect.
    var mayHaveTakenEffect: Bool {
        switch self {
        case .timeout, .serverError, .malformed: true
        default: false
        }
    }

    /// The `outcome` label of supplier call metrics and events.
    var outcome: String {
        switch self {
        case .timeout: "timeout"
        case .unreachable: "unreachable"
        case .serverError: "server_error"
        case .malformed: "malformed"
        case .authentication: "authentication"
        case .rejected: "rejected"
        case .soldOut: "sold_out"
        case .priceChanged: "price_changed"
        case .notFound: "not_found"
        case .bookingOutcomeUnknown: "outcome_unknown"
        case .circuitOpen: "circuit_open"
        case .busy: "busy"
        case .disabled: "disabled"
        case .unknownSupplier: "unknown_supplier"
        }
    }

    func problem(supplier: String) -> Problem {
        switch self {
        case .timeout: Problem(.gatewayTimeout, code: "supplier_timeout", detail: "Supplier \(supplier) did not answer in time.")
        case .unreachable(let why): Problem(.badGateway, code: "supplier_unreachable", detail: "Supplier \(supplier) cannot be reached: \(why)")
        case .serverError(let status, let message): Problem(.badGateway, code: "supplier_error", detail: "Supplier \(supplier) failed (\(status)): \(message)")
        case .malformed(let why): Problem(.badGateway, code: "supplier_malformed_response", detail: "Supplier \(supplier) answered something unreadable: \(why)")
        case .authentication(let why): Problem(.badGateway, code: "supplier_authentication_failed", detail: "Supplier \(supplier) refused our credentials: \(why)")
        case .rejected(let code, let message): Problem(.unprocessableContent, code: "supplier_rejected", detail: "Supplier \(supplier) refused the request (\(code)): \(message)")
        case .soldOut: Problem(.conflict, code: "sold_out", detail: "Supplier \(supplier) has no rooms left at this rate.")
        case .priceChanged(let message): Problem(.conflict, code: "price_changed", detail: "Supplier \(supplier): \(message)")
        case .notFound(let what): Problem(.notFound, code: "supplier_booking_not_found", detail: "Supplier \(supplier) has no booking \(what).")
        case .bookingOutcomeUnknown(let reference):
            Problem(.badGateway, code: "supplier_booking_unknown",
                    detail: "Supplier \(supplier) did not confirm booking \(reference) and it was not found by reference; look it up again before booking anew.")
        case .circuitOpen: Problem(.serviceUnavailable, code: "supplier_circuit_open", detail: "Supplier \(supplier) is failing; calls are paused.")
        case .busy: Problem(.serviceUnavailable, code: "supplier_busy", detail: "All connections to supplier \(supplier) are busy; try again shortly.")
        case .disabled: Problem(.conflict, code: "supplier_disabled", detail: "Supplier \(supplier) is disabled.")
        case .unknownSupplier(let code): Problem(.notFound, code: "unknown_supplier", detail: "No supplier '\(code)' is registered.")
        }
    }
}
