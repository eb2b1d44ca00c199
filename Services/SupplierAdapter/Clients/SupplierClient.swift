// One supplier's protocol behind one interface: the platform's contract types in and out, every
// supplier quirk (paths, XML, codes, signatures) inside the implementation.

import FoundationEssentials
import Shared

protocol SupplierClient: Sendable {
    func availability(_ query: AvailabilityQuery, timeout: Duration) async throws(SupplierFailure) -> [SupplierOffer]
    /// The rate as sold now (a rechecked rate key included); `.soldOut` when it is gone.
    func checkRate(_ rateKey: String, timeout: Duration) async throws(SupplierFailure) -> SupplierOffer
    func book(_ request: SupplierBookingRequest, timeout: Duration) async throws(SupplierFailure) -> SupplierBooking
    func bookings(clientReference: String, timeout: Duration) async throws(SupplierFailure) -> [SupplierBooking]
    func booking(reference: String, timeout: Duration) async throws(SupplierFailure) -> SupplierBooking
    /// Cancels, or with `simulate` only asks what cancelling would cost.
    func cancel(reference: String, simulate: Bool, timeout: Duration) async throws(SupplierFailure) -> SupplierCancellation
    /// Page `page` (from 1) of the content feed.
    func hotels(page: Int, timeout: Duration) async throws(SupplierFailure) -> SupplierHotelPage
    /// What the supplier bills for the stays checking out from `from` to `to` (inclusive).
    func statement(from: CalendarDate, to: CalendarDate, timeout: Duration) async throws(SupplierFailure) -> [SupplierStatementRow]
}

extension SupplierConfig {
    func client(transport: SupplierTransport, clock: @escaping @Sendable () -> Date = { Date() }) -> any SupplierClient {
        switch protocolKind {
        case .bedBankJSON: BedBankClient(supplier: code, baseURL: baseURL, credentials: credentials, transport: transport, clock: clock)
        case .openTravelXML: OpenTravelClient(supplier: code, baseURL: baseURL, credentials: credentials, transport: transport)
        }
    }
}
