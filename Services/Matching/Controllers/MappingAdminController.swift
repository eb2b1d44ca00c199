// Operators run and review mapping through the gateway:
//   POST /api/v1/admin/mappings/jobs {"supplier"?}      queue a run (all suppliers, or one)  -> 202
//   GET  /api/v1/admin/mappings/jobs/{id}               progress: processed / total, rate
//   GET  /api/v1/admin/mappings/reviews?limit=          the review queue
//   GET  /api/v1/admin/mappings/{supplier}/{code}       one record's mapping
//   POST /api/v1/admin/mappings/{supplier}/{code}/approve | reject | remap {"master_hotel_id"}
//   GET  /api/v1/admin/hotels?city=|latitude=..|ids=|name=  search master hotels (the database: fresh;
//                                                       earthdistance around a point, pg_trgm by name)
//   GET  /api/v1/admin/hotels/{id}                      a master hotel with its supplier codes

import FoundationEssentials
import Hummingbird
import Shared

struct MappingAdminController: Sendable {
    let catalog: CatalogRepository
    let jobs: MappingJobRepository
    let wake: WakeSignal
    let cache: CatalogCache

    struct JobRequest: Decodable { var supplier: String? }
    struct Remap: Decodable {
        var masterHotelId: Int64
        enum CodingKeys: String, CodingKey { case masterHotelId = "master_hotel_id" }
    }

    func add(to router: Router<PlatformRequestContext>) {
        let admin = router.group("api/v1/admin/mappings")
        admin.post("jobs") { request, context in
            let who = try context.requireOperator()
            let body = (try? await request.decode(as: JobRequest.self, context: context)) ?? JobRequest()
            let job = try await jobs.enqueue(supplier: try TextRule.code.check(body.supplier, field: "supplier", code: "invalid_supplier"), by: who.tenantId)
            wake.signal()
            return EditedResponse(status: .accepted, response: job)
        }
        admin.get("jobs/:id") { _, context in
            _ = try context.requireOperator()
            let text = try context.parameters.require("id")
            guard let id = UUID(uuidString: text) else { throw Problem(.badRequest, code: "invalid_job_id", detail: "'\(text)' is not a job id (a UUID).") }
            guard let job = try await jobs.find(id) else { throw Problem(.notFound, code: "unknown_job", detail: "No mapping job \(text).") }
            return job
        }
        admin.get("reviews") { request, context in
            _ = try context.requireOperator()
            let limit = try request.uri.queryParameters["limit"].map { text in
                guard let limit = Int(text), (1...500).contains(limit) else { throw Problem(.badRequest, code: "invalid_query", detail: "limit must be 1 to 500.") }
                return limit
            } ?? 50
            return try await catalog.reviews(limit: limit)
        }
        admin.get(":supplier/:code") { _, context in
            _ = try context.requireOperator()
            let (supplier, code) = try Self.record(context)
            guard let mapping = try await catalog.mapping(supplier: supplier, code: code) else { throw notFound(supplier, code) }
            return mapping
        }
        admin.post(":supplier/:code/approve") { _, context in
            let who = try context.requireOperator()
            let (supplier, code) = try Self.record(context)
            return try await outcome(try await catalog.approve(supplier: supplier, code: code, master: nil, by: who.tenantId), supplier, code)
        }
        admin.post(":supplier/:code/reject") { _, context in
            let who = try context.requireOperator()
            let (supplier, code) = try Self.record(context)
            return try await outcome(try await catalog.reject(supplier: supplier, code: code, by: who.tenantId), supplier, code)
        }
        admin.post(":supplier/:code/remap") { request, context in
            let who = try context.requireOperator()
            let (supplier, code) = try Self.record(context)
            let body = try await request.decode(as: Remap.self, context: context)
            return try await outcome(try await catalog.approve(supplier: supplier, code: code, master: body.masterHotelId, by: who.tenantId), supplier, code)
        }
        router.get("api/v1/admin/hotels") { request, context in
            _ = try context.requireOperator()
            let (query, limit) = try HotelQuery.parse(request)
            switch query {
            case .ids(let ids): return try await catalog.hotels(ids: ids)
            case .city(let city, let country): return try await catalog.hotels(city: city, countryCode: country, limit: limit)
            case .near(let latitude, let longitude, let radius): return try await catalog.hotels(latitude: latitude, longitude: longitude, radiusKm: radius, limit: limit)
            case .name(let name, let city): return try await catalog.hotels(named: name, city: city, limit: min(limit, 50))
            }
        }
        router.get("api/v1/admin/hotels/:id") { _, context in
            _ = try context.requireOperator()
            let id = try LookupController.hotelId(context)
            guard let hotel = try await catalog.hotels(ids: [id]).first else { throw LookupController.unknownHotel(id) }
            return hotel
        }
    }

    /// The supplier code and hotel code of the record a path names.
    static func record(_ context: PlatformRequestContext) throws -> (supplier: String, code: String) {
        (try TextRule.code.check(try context.parameters.require("supplier"), field: "supplier", code: "invalid_supplier"),
         try TextRule.code.check(try context.parameters.require("code"), field: "code", code: "invalid_hotel_code"))
    }

    func outcome(_ outcome: ReviewOutcome, _ supplier: String, _ code: String) async throws -> MappingRecord {
        switch outcome {
        case .decided(let mapping):
            try await cache.reload()
            return mapping
        case .notFound: throw notFound(supplier, code)
        case .conflict(let why): throw Problem(.conflict, code: "mapping_conflict", detail: "\(why); remap that record first.")
        }
    }

    func notFound(_ supplier: String, _ code: String) -> Problem {
        Problem(.notFound, code: "unknown_mapping", detail: "No mapping of \(supplier) record \(code) (or no such master hotel).")
    }
}

extension MappingJobStatus: ResponseEncodable {}
extension ReviewItem: ResponseEncodable {}
