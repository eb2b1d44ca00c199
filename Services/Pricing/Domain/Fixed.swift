// Pricing's arithmetic in integers: an amount or a rate as a count of 10^-12 units in an Int128.
// Exact to 12 decimals (products and quotients are rounded half up at the 12th), far below any
// currency's minor unit, and rounding to a currency is integer division: Decimal, which Amount holds,
// has no public rounding and printing a long one to round it cost most of a batch's time.

import FoundationEssentials
import Shared

struct Fixed: Comparable, Sendable {
    static let decimals = 12
    static let unit: Int128 = 1_000_000_000_000
    static let zero = Fixed(raw: 0)
    static let hundred = Fixed(raw: 100 * unit)

    var raw: Int128

    init(raw: Int128) { self.raw = raw }

    /// From an amount's digits; nil beyond 12 decimals or 26 whole digits.
    init?(_ amount: Amount) {
        if let digits = amount.digits, digits.scale <= Self.decimals {
            var scaled = Int128(digits.significand)
            for _ in digits.scale..<Self.decimals { scaled *= 10 }
            raw = scaled
            return
        }
        let text = amount.value.description
        let negative = text.hasPrefix("-")
        var whole: Int128 = 0, fraction: Int128 = 0, fractionDigits = 0, inFraction = false
        for byte in text.utf8.dropFirst(negative ? 1 : 0) {
            switch byte {
            case UInt8(ascii: "."): inFraction = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let digit = Int128(byte - UInt8(ascii: "0"))
                if inFraction {
                    guard fractionDigits < Self.decimals else { return nil }
                    fraction = fraction * 10 + digit
                    fractionDigits += 1
                } else {
                    guard whole < 10_000_000_000_000_000_000_000_000 else { return nil }
                    whole = whole * 10 + digit
                }
            default: return nil
            }
        }
        var scaled = fraction
        for _ in fractionDigits..<Self.decimals { scaled *= 10 }
        raw = (whole * Self.unit + scaled) * (negative ? -1 : 1)
    }

    static func + (a: Fixed, b: Fixed) -> Fixed { Fixed(raw: a.raw + b.raw) }
    static func - (a: Fixed, b: Fixed) -> Fixed { Fixed(raw: a.raw - b.raw) }
    static func * (a: Fixed, b: Fixed) -> Fixed { Fixed(raw: divide(a.raw * b.raw, by: unit)) }
    static func / (a: Fixed, b: Fixed) -> Fixed { Fixed(raw: divide(a.raw * unit, by: b.raw)) }
    static func < (a: Fixed, b: Fixed) -> Bool { a.raw < b.raw }

    /// `value / divisor`, half away from zero.
    static func divide(_ value: Int128, by divisor: Int128) -> Int128 {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        guard remainder != 0, remainder.magnitude * 2 >= divisor.magnitude else { return quotient }
        return (value < 0) != (divisor < 0) ? quotient - 1 : quotient + 1
    }

    /// To `scale` decimals: half away from zero, or up (toward +infinity).
    func rounded(toScale scale: Int, _ rounding: Amount.Rounding = .halfUp) -> Fixed {
        var step: Int128 = 1
        for _ in 0..<(Self.decimals - scale) { step *= 10 }
        let (quotient, remainder) = raw.quotientAndRemainder(dividingBy: step)
        var kept = quotient
        switch rounding {
        case .halfUp:
            if remainder.magnitude * 2 >= step.magnitude { kept += raw < 0 ? -1 : 1 }
        case .up:
            if remainder > 0 { kept += 1 }
        }
        return Fixed(raw: kept * step)
    }

    /// As an amount (exact: at most 12 decimals, trailing zeros dropped): from the digits as an
    /// integer and an exponent when they fit 64 bits (every price does), otherwise through text.
    var amount: Amount {
        guard raw != 0 else { return .zero }
        // Trailing zeros dropped in 64 bits when the digits fit (every price does), where dividing by
        // ten is an instruction; in 128 bits it is a call.
        let digits: UInt128, exponent: Int
        if let small = UInt64(exactly: raw.magnitude) {
            let trimmed = Self.withoutTrailingZeros(small)
            (digits, exponent) = (UInt128(trimmed.digits), trimmed.exponent)
        } else {
            (digits, exponent) = Self.withoutTrailingZeros(raw.magnitude)
        }
        guard let significand = Int64(exactly: digits) else { return textAmount }
        return Amount(digits: raw < 0 ? -significand : significand, scale: -exponent)
    }

    private static func withoutTrailingZeros<Digits: BinaryInteger>(_ digits: Digits) -> (digits: Digits, exponent: Int) {
        var digits = digits, exponent = -decimals
        while exponent < 0, digits % 10 == 0 {
            digits /= 10
            exponent += 1
        }
        return (digits, exponent)
    }

    private var textAmount: Amount {
        let negative = raw < 0
        let magnitude = raw.magnitude
        let (whole, fraction) = magnitude.quotientAndRemainder(dividingBy: UInt128(Self.unit))
        var digits = String(fraction)
        digits = String(repeating: "0", count: Self.decimals - digits.count) + digits
        while digits.last == "0" { digits.removeLast() }
        let text = (negative ? "-" : "") + String(whole) + (digits.isEmpty ? "" : "." + digits)
        return Amount(text) ?? .zero
    }
}
