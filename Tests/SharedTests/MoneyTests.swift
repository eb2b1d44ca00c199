// Money: decimal amounts, currencies and their minor units, exchange rates on the wire.

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
    @Test func currenciesAndTheirMinorUnits() {
        #expect(Currency.minorUnits("JPY") == 0 && Currency.minorUnits("KWD") == 3 && Currency.minorUnits("EUR") == 2)
        #expect(Currency.isCode("EUR") && !Currency.isCode("eur") && !Currency.isCode("EURO") && !Currency.isCode("ÉUR"))
    }

    @Test func travelsAsDecimalStrings() throws {
        let json = String(decoding: try PlatformJSON.encoder.encode(ExchangeRates(base: "CNY", rates: ["EUR": Amount("7.8123")!])), as: UTF8.self)
        #expect(json.contains("\"EUR\":\"7.8123\""), "\(json)")
        #expect(try PlatformJSON.decoder.decode(ExchangeRates.self, from: Data(json.utf8)).rates["EUR"] == Amount("7.8123"))
        #expect(throws: DecodingError.self) { try PlatformJSON.decoder.decode(ExchangeRates.self, from: Data(#"{"base":"CNY","rates":{"EUR":7.8}}"#.utf8)) }
    }
}
