// Hotel chains and their brands: the source of look-alike hotels (same chain, same street).

struct Chain: Sendable {
    let code: String
    let name: String
    /// Brands with the stars their hotels usually have.
    let brands: [(name: String, stars: Int)]

    static let all: [Chain] = [
        Chain(code: "HIL", name: "Hilton", brands: [("Hilton", 5), ("Hilton Garden Inn", 4), ("DoubleTree by Hilton", 4), ("Conrad", 5), ("Hampton by Hilton", 3)]),
        Chain(code: "MAR", name: "Marriott", brands: [("Marriott", 5), ("Courtyard by Marriott", 4), ("Sheraton", 5), ("Westin", 5), ("Four Points by Sheraton", 4), ("JW Marriott", 5), ("Renaissance", 4)]),
        Chain(code: "IHG", name: "IHG", brands: [("InterContinental", 5), ("Crowne Plaza", 4), ("Holiday Inn", 4), ("Holiday Inn Express", 3), ("Hotel Indigo", 4)]),
        Chain(code: "ACC", name: "Accor", brands: [("Novotel", 4), ("Ibis", 2), ("Ibis Styles", 3), ("Mercure", 4), ("Pullman", 5), ("Sofitel", 5)]),
        Chain(code: "HYA", name: "Hyatt", brands: [("Hyatt Regency", 5), ("Grand Hyatt", 5), ("Park Hyatt", 5), ("Hyatt Place", 3)]),
        Chain(code: "JJN", name: "Jin Jiang", brands: [("Jinjiang Inn", 2), ("Metropolo", 3), ("Campanile", 3)]),
    ]

    /// Words independent hotels are named from.
    static let independentWords = [
        "Royal", "Golden", "Jade", "Lotus", "Garden", "Park", "Harbour", "River", "Central", "Imperial", "Oriental", "Plaza", "Crystal",
        "Silver", "Phoenix", "Orchid", "Bamboo", "Pearl", "Lake", "Sunrise", "Metropole", "Majestic", "Regent", "Continental", "Ambassador",
        "Astor", "Bristol", "Windsor", "Victoria", "Opera", "Grand", "Palace", "Empire", "Heritage", "Lantern", "Magnolia", "Cypress",
        "Horizon", "Skyline", "Meridian", "Atlas", "Aurora", "Celeste", "Dynasty", "Emerald", "Falcon", "Galaxy", "Harmony", "Ivory",
        "Kingsway", "Lumiere", "Marquis", "Nobel", "Olympia", "Paragon", "Quartz", "Riviera", "Sapphire", "Tivoli", "Unity", "Vista",
    ]
    static let independentForms = ["{w} Hotel", "Hotel {w}", "{w} {v} Hotel", "The {w}", "{w} Boutique Hotel", "{w} Residence", "{w} Suites", "{w} Inn"]
}
