// Names, addresses, cities and chains brought to one form before they are compared: lower case,
// accents and punctuation gone, abbreviations expanded, words that say nothing dropped, and the
// other names of a city, a chain's code and its name made the same.

enum HotelNormalizer {
    /// Letters with accents and their plain forms (Latin scripts the feeds use).
    static let plainLetters: [Character: String] = [
        "à": "a", "á": "a", "â": "a", "ã": "a", "ä": "a", "å": "a", "ā": "a", "ç": "c", "č": "c", "è": "e", "é": "e", "ê": "e", "ë": "e", "ē": "e",
        "ì": "i", "í": "i", "î": "i", "ï": "i", "ī": "i", "ı": "i", "ñ": "n", "ò": "o", "ó": "o", "ô": "o", "õ": "o", "ö": "o", "ø": "o", "ō": "o",
        "ù": "u", "ú": "u", "û": "u", "ü": "u", "ū": "u", "ý": "y", "ÿ": "y", "ß": "ss", "ş": "s", "š": "s", "ğ": "g", "ž": "z", "œ": "oe", "æ": "ae",
    ]

    /// Abbreviations in names and addresses, and what they stand for.
    static let expansions: [String: String] = [
        "htl": "hotel", "intl": "international", "int'l": "international", "gdn": "garden", "res": "residence", "sts": "suites", "ste": "suite",
        "st": "street", "rd": "road", "ave": "avenue", "av": "avenue", "blvd": "boulevard", "str": "strasse", "mid": "middle", "sq": "square",
        "ctr": "centre", "center": "centre", "mt": "mount", "apt": "apartments", "n": "north", "s": "south", "e": "east", "w": "west",
    ]

    /// Words that do not tell one hotel from another.
    static let noiseWords: Set<String> = ["hotel", "hotels", "the", "by", "and", "a", "an", "of", "district", "no", "de", "du", "la", "le"]

    /// Other names of cities, as geographic name lists give them.
    static let cityNames: [String: String] = [
        "peking": "beijing", "canton": "guangzhou", "roma": "rome", "barcelone": "barcelona", "krung thep": "bangkok", "soul": "seoul",
        "singapura": "singapore", "dubayy": "dubai", "taibei": "taipei", "kl": "kuala lumpur", "xian": "xi an", "shang hai": "shanghai",
        "shen zhen": "shenzhen", "cheng du": "chengdu", "hang zhou": "hangzhou", "hongkong": "hong kong", "new york city": "new york",
        "london city": "london", "berlin mitte": "berlin", "paris centre": "paris", "sydney cbd": "sydney", "koln": "cologne", "munchen": "munich",
    ]

    /// Chain codes and names as feeds write them, to one name.
    static let chains: [String: String] = [
        "hil": "hilton", "hilton": "hilton", "mar": "marriott", "marriott": "marriott", "ihg": "ihg", "acc": "accor", "accor": "accor",
        "hya": "hyatt", "hyatt": "hyatt", "jjn": "jin jiang", "jin jiang": "jin jiang", "jinjiang": "jin jiang",
    ]

    /// Lower case, plain letters, punctuation as spaces, single spaces.
    static func fold(_ text: String) -> String {
        var out = ""
        var lastWasSpace = true
        for character in text.lowercased() {
            if character == "i\u{307}" {  // "İ" lower-cased (Turkish dotted capital I)
                out += "i"
                lastWasSpace = false
                continue
            }
            if let plain = plainLetters[character] {
                out += plain
                lastWasSpace = false
            } else if character.isLetter || character.isNumber {
                out.append(character)
                lastWasSpace = false
            } else if character == "'" || character == "’" {
                continue  // "Xi'an" -> "xian", "King's" -> "kings"
            } else if !lastWasSpace {
                out += " "
                lastWasSpace = true
            }
        }
        return out.hasSuffix(" ") ? String(out.dropLast()) : out
    }

    /// The text with any "(...)" parts removed.
    static func withoutBrackets(_ text: String) -> String {
        var out = ""
        var depth = 0
        for character in text {
            if character == "(" { depth += 1 } else if character == ")" { depth = max(0, depth - 1) } else if depth == 0 { out.append(character) }
        }
        return out
    }

    /// The city in its one form.
    static func city(_ text: String) -> String {
        let folded = fold(text)
        return cityNames[folded] ?? cityNames[folded.replacing(" ", with: "")] ?? folded
    }

    static func chain(_ text: String?) -> String? {
        guard let text else { return nil }
        let folded = fold(text)
        return folded.isEmpty ? nil : chains[folded] ?? folded
    }

    /// The words of a name that tell hotels apart: expanded, without noise words or the city's names.
    static func nameTokens(_ name: String, city: String) -> [String] {
        var text = " " + fold(name) + " "
        let cityForm = Self.city(city)
        for (other, canonical) in cityNames where canonical == cityForm { text = text.replacing(" \(other) ", with: " ") }
        text = text.replacing(" \(cityForm) ", with: " ")
        return text.split(separator: " ").map { expansions[String($0)] ?? String($0) }.filter { !noiseWords.contains($0) && $0 != cityForm }
    }

    /// The words of an address, expanded; and its house number (the first number standing alone).
    static func address(_ text: String) -> (tokens: [String], number: String?) {
        let tokens = fold(text).split(separator: " ").map { expansions[String($0)] ?? String($0) }.filter { !noiseWords.contains($0) }
        return (tokens, tokens.first { $0.allSatisfy(\.isNumber) })
    }
}
