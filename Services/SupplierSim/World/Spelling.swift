// How each supplier writes a hotel: names, addresses, cities, coordinates, stars and chains, with
// the variations real feeds have (case, abbreviations, word order, transliteration, typos, offsets).

import FoundationEssentials
import Shared

enum SpellingStyle: Sendable {
    /// Names as the hotel writes them, full street names, precise coordinates.
    case careful
    /// Upper case, abbreviations, coordinates rounded to three decimals (about 100 m).
    case gds
    /// Word order changes, other city spellings, spaced transliterations, missing stars and chains.
    case loose
}

struct Spelling {
    let style: SpellingStyle
    var random: SeededRandom

    static let streetAbbreviations = [("Street", "St"), ("Road", "Rd"), ("Avenue", "Ave"), ("Boulevard", "Blvd"), ("Strasse", "Str."), ("Middle", "Mid")]
    static let nameAbbreviations = [("Hotel", "Htl"), ("International", "Intl"), ("Residence", "Res"), ("Suites", "Sts"), ("Garden", "Gdn")]

    mutating func name(_ hotel: RealHotel) -> String {
        var name = hotel.name
        switch style {
        case .careful:
            if random.chance(0.2), !["Hotel", "Inn", "Suites", "Residence", "The "].contains(where: name.contains) { name += " Hotel" }
            if random.chance(0.1) { name = name.replacing(" \(hotel.city.name) ", with: " ") }
        case .gds:
            if random.chance(0.4) { name = name.replacing(" by Hilton", with: "").replacing(" by Marriott", with: "").replacing(" by Sheraton", with: "") }
            if random.chance(0.3), !name.contains("Hotel") { name = "Hotel " + name }
            for (long, short) in Self.nameAbbreviations where random.chance(0.6) { name = name.replacing(long, with: short) }
            name = name.uppercased()
        case .loose:
            if random.chance(0.25), name.contains(" \(hotel.city.name) ") {
                // "Novotel Beijing Sanyuan" -> "Beijing Novotel Sanyuan"
                name = hotel.city.name + " " + name.replacing(" \(hotel.city.name) ", with: " ")
            }
            if random.chance(0.3), let other = hotel.city.otherNames.first(where: { $0.uppercased() != $0 }) {
                name = name.replacing(hotel.city.name, with: other)
            }
            if hotel.city.countryCode == "CN", random.chance(0.3) { name = name.replacing(hotel.district, with: Self.spacedPinyin(hotel.district)) }
            if random.chance(0.3) { name = name.replacing("The ", with: "") }
            if random.chance(0.2) { name = Self.titleCased(name) }
            if random.chance(0.3) { name += random.chance(0.5) ? " Hotel" : " (\(hotel.district))" }
        }
        if random.chance(0.03) { name = Self.typo(name, random: &random) }
        return name
    }

    mutating func address(_ hotel: RealHotel) -> String {
        var street = hotel.street
        switch style {
        case .careful:
            return hotel.city.countryCode == "DE" || hotel.city.countryCode == "IT" || hotel.city.countryCode == "ES"
                ? "\(street) \(hotel.houseNumber)" : "\(hotel.houseNumber) \(street)"
        case .gds:
            for (long, short) in Self.streetAbbreviations { street = street.replacing(long, with: short) }
            return "NO.\(hotel.houseNumber) \(street.uppercased())"
        case .loose:
            if random.chance(0.5) { for (long, short) in Self.streetAbbreviations { street = street.replacing(long, with: short + ".") } }
            return random.chance(0.5) ? "\(street) \(hotel.houseNumber), \(hotel.district)" : "\(hotel.houseNumber) \(street), \(hotel.district) District"
        }
    }

    mutating func city(_ hotel: RealHotel) -> String {
        switch style {
        case .careful: hotel.city.name
        case .gds: hotel.city.name.uppercased()
        case .loose: random.chance(0.3) ? random.pick(hotel.city.otherNames) : hotel.city.name
        }
    }

    /// Where the supplier puts the hotel: tens of metres off, now and then a few hundred.
    mutating func coordinates(_ hotel: RealHotel) -> (Double, Double) {
        let metres = random.chance(0.05) ? Double.random(in: 150...350, using: &random) : abs(Double.random(in: 0...1, using: &random) * 90)
        var (latitude, longitude) = Geodesy.offset(hotel.latitude, hotel.longitude, metres: metres, bearing: .random(in: 0..<360, using: &random))
        if style == .gds {
            latitude = (latitude * 1000).rounded() / 1000
            longitude = (longitude * 1000).rounded() / 1000
        }
        return ((latitude * 1e6).rounded() / 1e6, (longitude * 1e6).rounded() / 1e6)
    }

    mutating func stars(_ hotel: RealHotel) -> Int? {
        guard style == .loose else { return hotel.stars }
        if random.chance(0.1) { return nil }
        return random.chance(0.05) ? max(1, min(5, hotel.stars + (random.chance(0.5) ? 1 : -1))) : hotel.stars
    }

    mutating func chain(_ hotel: RealHotel) -> String? {
        guard let chain = hotel.chain else { return nil }
        switch style {
        case .careful: return chain.code
        case .gds: return chain.name.uppercased()
        case .loose: return random.chance(0.5) ? chain.name : nil
        }
    }

    /// "Wangfujing" -> "Wang Fu Jing": how pinyin is often split syllable by syllable.
    static func spacedPinyin(_ word: String) -> String {
        var out = ""
        let vowels = Set("aeiouv")
        var previous: Character?
        for character in word {
            if let last = previous, vowels.contains(Character(last.lowercased())), !vowels.contains(Character(character.lowercased())),
                character.isLetter, !"ngr".contains(character.lowercased())
            {
                out += " "
                out += character.uppercased()
            } else {
                out.append(character)
            }
            previous = character
        }
        return out
    }

    /// "HOLIDAY INN express" -> "Holiday Inn Express".
    static func titleCased(_ text: String) -> String {
        text.split(separator: " ", omittingEmptySubsequences: false).map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }.joined(separator: " ")
    }

    /// Two neighbouring letters swapped in one long word.
    static func typo(_ name: String, random: inout SeededRandom) -> String {
        var words = name.split(separator: " ").map(String.init)
        guard let index = words.indices.filter({ words[$0].count >= 6 }).randomElement(using: &random) else { return name }
        var letters = Array(words[index])
        let at = Int.random(in: 1..<(letters.count - 2), using: &random)
        letters.swapAt(at, at + 1)
        words[index] = String(letters)
        return words.joined(separator: " ")
    }
}
