// Money: decimal amounts, currencies' minor units, and conversion between currencies.

import FoundationEssentials
@testable import Shared
import Testing

@Suite struct AmountTests {
    @Test func parsesPlainDecimalsOnly() {
        #expect(Amount("123.45")?.description == "123.45")
        #expect(Amount("-0.5")?.description == "-0.50")
        #expect(Amount("7")?.description == "7.00")
        #expect(Amount("0.125")?.description == "0.125")
        for bad in ["", "1e3", "12abc", "1.2.3", ".5", "5.", "--1", "1,5", " 1", "NaN"] { #expect(Amount(bad) == nil, "\(bad)") }
    }

    @Test func minorUnitsAndArithmeticAreExact() {
        #expect(Amount(minorUnits: 12345) == Amount("123.45"))
        #expect(Amount(minorUnits: 1) + Amount(minorUnits: 2) == Amount("0.03"), "no binary float: 0.1 + 0.2 style errors cannot happen")
        #expect(Amount(minorUnits: 5, scale: 3).description == "0.005")
    }
}


@Suite struct ExchangeRatesTests {
    let rates = ExchangeRates(base: "CNY", rates: ["EUR": Amount("7.8123")!, "USD": Amount("7.2")!, "JPY": Amount("0.048")!, "KWD": Amount("23.4")!])

    @Test func roundsHalfAwayFromZeroToTheMinorUnits() {
        #expect(Amount("1.005")!.rounded(scale: 2) == Amount("1.01"))
        #expect(Amount("-1.005")!.rounded(scale: 2) == Amount("-1.01"))
        #expect(Amount("1.0049999")!.rounded(scale: 2) == Amount("1.00"))
        #expect(Amount("2.5")!.rounded(scale: 0) == Amount("3"))
        #expect(Amount("99.999")!.rounded(scale: 2) == Amount("100.00"))
        #expect(Amount("0.0004")!.rounded(scale: 3) == Amount("0.000"))
        #expect(Amount("12.3")!.rounded(scale: 2) == Amount("12.3"), "fewer decimals stay as they are")
        #expect(Currency.minorUnits("JPY") == 0 && Currency.minorUnits("KWD") == 3 && Currency.minorUnits("EUR") == 2)
        #expect(Currency.isCode("EUR") && !Currency.isCode("eur") && !Currency.isCode("EURO") && !Currency.isCode("ÉUR"))
    }

    @Test func convertsThroughTheBaseAndRoundsToTheTargetCurrency() {
        #expect(rates.convert(Money(Amount("100")!, "EUR"), to: "CNY") == Money(Amount("781.23")!, "CNY"))
        #expect(rates.convert(Money(Amount("781.23")!, "CNY"), to: "EUR") == Money(Amount("100.00")!, "EUR"))
        // 100 EUR = 781.23 CNY = 108.504166... USD
        #expect(rates.convert(Money(Amount("100")!, "EUR"), to: "USD") == Money(Amount("108.50")!, "USD"))
        #expect(rates.convert(Money(Amount("100")!, "USD"), to: "JPY") == Money(Amount("15000")!, "JPY"), "no decimals in yen")
        #expect(rates.convert(Money(Amount("1")!, "EUR"), to: "KWD") == Money(Amount("0.334")!, "KWD"), "three in dinars")
        #expect(rates.convert(Money(Amount("10")!, "GBP"), to: "CNY") == nil, "no rate: no conversion")
        #expect(rates.convert(Money(Amount("10")!, "GBP"), to: "GBP") == Money(Amount("10")!, "GBP"))
    }

    @Test func travelsAsDecimalStrings() throws {
        let json = String(decoding: try PlatformJSON.encoder.encode(ExchangeRates(base: "CNY", rates: ["EUR": Amount("7.8123")!])), as: UTF8.self)
        #expect(json.contains("\"EUR\":\"7.8123\""), "\(json)")
        #expect(try PlatformJSON.decoder.decode(ExchangeRates.self, from: Data(json.utf8)).rates["EUR"] == Amount("7.8123"))
        #expect(throws: DecodingError.self) { try PlatformJSON.decoder.decode(ExchangeRates.self, from: Data(#"{"base":"CNY","rates":{"EUR":7.8}}"#.utf8)) }
    }
}
