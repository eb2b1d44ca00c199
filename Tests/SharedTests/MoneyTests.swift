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
        // Up to 18 digits are read without Decimal's parser, longer ones with it: the same values either way.
        for text in ["123.4500", "-0.05", "0", "-0.000", "100.00", "10", "0.10", "-7.000100", "999999999999999999", "0.000000000001", "1234567890123456789.5", "-98765432109876543210.125"] {
            let amount = Amount(text), parsed = Decimal(string: text).map(Amount.init)
            #expect(amount == parsed && amount?.description == parsed?.description && amount?.hashValue == parsed?.hashValue, "\(text)")
        }
    }

    @Test func minorUnitsAndArithmeticAreExact() {
        #expect(Amount(minorUnits: 12345) == Amount("123.45"))
        #expect(Amount(minorUnits: 1) + Amount(minorUnits: 2) == Amount("0.03"), "no binary float: 0.1 + 0.2 style errors cannot happen")
        #expect(Amount(minorUnits: 5, scale: 3).description == "0.005")
    }

    @Test(arguments: [
        ("2.345", 2, "2.35", "2.35"), ("2.344", 2, "2.34", "2.35"), ("-2.345", 2, "-2.35", "-2.34"), ("9.995", 2, "10.00", "10.00"),
        ("999.5", 0, "1000", "1000"), ("0.0049", 2, "0.00", "0.01"), ("12.3", 2, "12.30", "12.30"), ("1.23456", 3, "1.235", "1.235"),
        ("100", 0, "100", "100"), ("0.5", 0, "1", "1"), ("-0.5", 0, "-1", "0"),
    ])
    func roundsHalfUpOrUpExactly(_ case: (String, Int, String, String)) {
        let amount = Amount(`case`.0)!
        #expect(amount.rounded(toScale: `case`.1) == Amount(`case`.2), "\(`case`.0) half up")
        #expect(amount.rounded(toScale: `case`.1, .up) == Amount(`case`.3), "\(`case`.0) up")
    }

    @Test func writtenAsItsDescription() {
        var cases = ["0", "0.00", "-0.05", "7", "12.3", "12.30", "12.345", "0.005", "1200", "-98765.4321000", "999999999999999999", "0.000000000000000001",
                     "1234567890123456789.5"].compactMap { Amount($0) } + [Amount(digits: .min + 1, scale: 18), Amount(Decimal(string: "1.50")!)]
        for _ in 0..<2_000 { cases.append(Amount(digits: Int64.random(in: -10_000_000...10_000_000), scale: Int.random(in: 0...9))) }
        for amount in cases {
            var bytes: [UInt8] = []
            amount.appendText(to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == amount.description, "\(amount)")
        }
    }

    /// The integer arithmetic on kept digits agrees with Decimal's on the same values (an amount
    /// made from a Decimal keeps no digits, so every operation on it takes Decimal's way).
    @Test func arithmeticOnDigitsAgreesWithDecimal() {
        var random = SystemRandomNumberGenerator()
        func amount() -> Amount {
            let scale = Int.random(in: 0...6, using: &random)
            return Amount(digits: Int64.random(in: -5_000_000_000...5_000_000_000, using: &random) / (Bool.random(using: &random) ? 1 : 1000), scale: scale)
        }
        func decimal(_ amount: Amount) -> Amount { Amount(amount.value) }
        for _ in 0..<5_000 {
            let (a, b) = (amount(), amount())
            #expect(a.digits != nil && decimal(a).digits == nil)
            #expect((a == b) == (decimal(a) == decimal(b)) && (a < b) == (decimal(a) < decimal(b)), "\(a) vs \(b)")
            #expect((a + b).description == (decimal(a) + decimal(b)).description, "\(a) + \(b)")
            #expect((a - b).description == (decimal(a) - decimal(b)).description, "\(a) - \(b)")
            #expect((a * b) == decimal(a) * decimal(b), "\(a) * \(b)")
            let scale = Int.random(in: 0...3, using: &random)
            for rounding in [Amount.Rounding.halfUp, .up] {
                #expect(a.rounded(toScale: scale, rounding).description == decimal(a).rounded(toScale: scale, rounding).description, "\(a) to \(scale)")
                if b != .zero {
                    let c = amount()
                    #expect(a.scaled(by: c, over: b, toScale: scale, rounding) == (decimal(a) * decimal(c) / decimal(b)).rounded(toScale: scale, rounding),
                            "\(a) x \(c) / \(b) to \(scale)")
                }
            }
        }
        #expect(Amount("100.00")!.divided(by: 3, toScale: 2) == Amount("33.33") && Amount("0.05")!.divided(by: 2, toScale: 2) == Amount("0.03"))
        #expect(Amount("-0.05")!.divided(by: 2, toScale: 2) == Amount("-0.03") && Amount("-0.05")!.divided(by: 2, toScale: 2, .up) == Amount("-0.02"))
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
