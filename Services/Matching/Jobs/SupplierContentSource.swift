// Supplier content through supplier-adapter: which suppliers can be called, and every page of one's feed.

import Shared

struct SupplierContentSource: Sendable {
    let adapter: SupplierAdapterClient

    /// Enabled suppliers that are not suspended, by code.
    func suppliers() async throws -> [String] {
        try await adapter.suppliers(origin: .job()).filter(\.isCallable).map(\.code).sorted()
    }

    func hotels(_ supplier: String) async throws -> [SupplierHotel] {
        let origin = CallOrigin.job()
        var hotels: [SupplierHotel] = []
        var page: Int? = 1
        while let current = page {
            let answer = try await adapter.hotels(of: supplier, page: current, origin: origin)
            hotels += answer.hotels
            page = answer.nextPage
        }
        return hotels
    }
}
