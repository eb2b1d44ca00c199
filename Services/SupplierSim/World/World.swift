// The real hotels behind the simulated suppliers: generated once from a seed, the same on every run.
// Each supplier describes a subset of them in its own words (SupplierCatalog); this is the truth.

import FoundationEssentials
import Shared

/// One object per hotel, shared by the world and every supplier that sells it (three suppliers'
/// catalogs held a copy each: a megabyte of the simulator's memory).
final class RealHotel: Sendable {
    let id: Int
    let name: String
    let city: City
    let district: String
    let street: String
    let houseNumber: Int
    let latitude: Double
    let longitude: Double
    let stars: Int
    let chain: Chain?
    /// Index into `World.hotels` of the hotel this one was made to resemble, if any.
    let lookalikeOf: Int?

    init(
        id: Int, name: String, city: City, district: String, street: String, houseNumber: Int, latitude: Double, longitude: Double, stars: Int,
        chain: Chain?, lookalikeOf: Int?
    ) {
        self.id = id
        self.name = name
        self.city = city
        self.district = district
        self.street = street
        self.houseNumber = houseNumber
        self.latitude = latitude
        self.longitude = longitude
        self.stars = stars
        self.chain = chain
        self.lookalikeOf = lookalikeOf
    }
}

struct World: Sendable {
    let hotels: [RealHotel]

    /// About `hotelsPerCity` hotels in each of the cities, a tenth of them near-twins of another
    /// (same chain, sister brand, same street, a few hundred metres apart).
    static func generate(seed: String = "hotel-platform", hotelsPerCity: Int = 110) -> World {
        var hotels: [RealHotel] = []
        for city in City.all {
            var random = SeededRandom(seed, city.name)
            var names: Set<String> = []
            var inCity: [RealHotel] = []
            while inCity.count < hotelsPerCity {
                let hotel: RealHotel
                if inCity.count > 10, random.chance(0.1), let original = inCity.filter({ $0.chain != nil && $0.lookalikeOf == nil }).randomElement(using: &random),
                    let twin = lookalike(of: original, id: hotels.count + inCity.count, random: &random)
                {
                    hotel = twin
                } else {
                    hotel = newHotel(id: hotels.count + inCity.count, city: city, random: &random)
                }
                guard names.insert(hotel.name.lowercased()).inserted else { continue }
                inCity.append(hotel)
            }
            hotels += inCity
        }
        return World(hotels: hotels)
    }

    static func newHotel(id: Int, city: City, random: inout SeededRandom) -> RealHotel {
        let district = random.pick(city.districts)
        let street = random.pick(city.streets)
        // Hotels cluster within ~8 km of the centre.
        let distance = 8000 * Double.random(in: 0..<1, using: &random).squareRoot()
        let (latitude, longitude) = Geodesy.offset(city.latitude, city.longitude, metres: distance, bearing: .random(in: 0..<360, using: &random))
        if random.chance(0.55) {
            let chain = random.pick(Chain.all)
            let brand = random.pick(chain.brands)
            let name = random.chance(0.8) ? "\(brand.name) \(city.name) \(district)" : "\(brand.name) \(district)"
            return RealHotel(id: id, name: name, city: city, district: district, street: street, houseNumber: .random(in: 1...400, using: &random),
                             latitude: latitude, longitude: longitude, stars: brand.stars, chain: chain, lookalikeOf: nil)
        }
        let word = random.pick(Chain.independentWords)
        var other = random.pick(Chain.independentWords)
        while other == word { other = random.pick(Chain.independentWords) }
        let name = random.pick(Chain.independentForms).replacing("{w}", with: word).replacing("{v}", with: other)
        return RealHotel(id: id, name: random.chance(0.3) ? "\(name) \(district)" : name, city: city, district: district, street: street,
                         houseNumber: .random(in: 1...400, using: &random), latitude: latitude, longitude: longitude,
                         stars: .random(in: 2...5, using: &random), chain: nil, lookalikeOf: nil)
    }

    /// A sister-brand hotel of `original` on the same street, 60-400 m away.
    static func lookalike(of original: RealHotel, id: Int, random: inout SeededRandom) -> RealHotel? {
        guard let chain = original.chain, let brand = chain.brands.first(where: { original.name.hasPrefix($0.name + " ") }) else { return nil }
        let sisters = chain.brands.filter { $0.name != brand.name }
        guard !sisters.isEmpty else { return nil }
        let sister = random.pick(sisters)
        let name = sister.name + original.name.dropFirst(brand.name.count)
        let (latitude, longitude) = Geodesy.offset(original.latitude, original.longitude, metres: .random(in: 60...400, using: &random),
                                               bearing: .random(in: 0..<360, using: &random))
        return RealHotel(id: id, name: name, city: original.city, district: original.district, street: original.street,
                         houseNumber: original.houseNumber + .random(in: 2...60, using: &random), latitude: latitude, longitude: longitude,
                         stars: sister.stars, chain: chain, lookalikeOf: original.id)
    }
}
