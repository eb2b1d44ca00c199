// The services the booking saga calls, and how it reads their failures: a refusal (a 4xx answer:
// this will not work, however often asked) against a failure that may pass (no answer, 5xx).

import FoundationEssentials
import Shared

struct SagaCalls: Sendable {
    let queryEngine: QueryEngineClient
    let risk: RiskClient
    let inventory: InventoryClient
    let adapter: SupplierAdapterClient
    let rates: ExchangeRateSource
    let tokens: OfferTokens
    /// How long order waits for supplier-adapter to book (its supplier's booking timeout and its own look-ups included).
    let bookTimeout: Duration
}

/// A 4xx answer from a service: what it said.
struct Refusal: Sendable {
    var status: Int
    var code: String
    var detail: String

    init?(_ error: any Error) {
        guard case ServiceCallError.answered(_, _, let status, let code, let detail) = error, (400..<500).contains(status) else { return nil }
        self.status = status
        self.code = code ?? "refused"
        self.detail = detail
    }

    func failure(status: Int? = nil) -> OrderFailure {
        OrderFailure(status: status ?? self.status, code: code, detail: detail)
    }
}

/// Stops a saga run: the order changed under it (another holder, an operator), or it must wait.
enum SagaStop: Error {
    /// The compare-and-swap lost: someone else changed the order.
    case changed
    /// Try again at this time (a failed call, a review still pending, a booking not found yet).
    case retry(after: Duration, failed: Bool)
}
