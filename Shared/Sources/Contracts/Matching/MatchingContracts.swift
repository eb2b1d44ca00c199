// What matching answers the other services besides master hotels (MasterHotel.swift): a hotel's
// suppliers ranked, and a supplier record's mapping.

import FoundationEssentials

/// One supplier of a hotel with its weighted_score and the four scores it is made of (each 0 to 1).
public struct RankedSupplier: Codable, Sendable, Equatable {
    public var supplier: String
    public var code: String
    public var score: Double
    public var price: Double
    public var rating: Double
    public var availability: Double
    public var reliability: Double

    public init(supplier: String, code: String, score: Double, price: Double, rating: Double, availability: Double, reliability: Double) {
        self.supplier = supplier
        self.code = code
        self.score = score
        self.price = price
        self.rating = rating
        self.availability = availability
        self.reliability = reliability
    }
}

/// A supplier's hotel record and the master hotel it maps to (`mapped`), or is proposed for (`review`).
public struct MappingRecord: Codable, Sendable, Equatable {
    public var supplier: String
    public var code: String
    public var masterHotelId: Int64
    /// `mapped` or `review`.
    public var status: String
    /// `auto`, `new`, `approved`, `rejected` or `remapped`.
    public var method: String
    public var score: Double
    public var decidedBy: String?
    public var updatedAt: Date

    public init(supplier: String, code: String, masterHotelId: Int64, status: String, method: String, score: Double, decidedBy: String?, updatedAt: Date) {
        self.supplier = supplier
        self.code = code
        self.masterHotelId = masterHotelId
        self.status = status
        self.method = method
        self.score = score
        self.decidedBy = decidedBy
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case supplier, code, masterHotelId = "master_hotel_id", status, method, score, decidedBy = "decided_by", updatedAt = "updated_at"
    }
}
