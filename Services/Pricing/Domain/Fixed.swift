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
        if let digits = amount.digits, (0...Self.decimals).contains(digits.scale) {
            raw = Int128(digits.significand) * Int128(Self.powersOfTen[Self.decimals - digits.scale])
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

    /// 10^0 ... 10^12: a rounding's step without a loop of 128-bit products.
    private static let powersOfTen: [Int64] = (0...decimals).map { power in (0..<power).reduce(1) { product, _ in product * 10 } }

    /// To `scale` decimals: half away from zero, or up (toward +infinity). In 64 bits when the
    /// amount fits (every price does), where dividing is one instruction; in 128 bits it is a call.
    func rounded(toScale scale: Int, _ rounding: Amount.Rounding = .halfUp) -> Fixed {
        let step = Self.powersOfTen[Self.decimals - min(max(scale, 0), Self.decimals)]
        if raw.magnitude < 1 << 62, let small = Int64(exactly: raw) {
            return Fixed(raw: Int128(Self.rounded(small, step: step, rounding)))
        }
        return Fixed(raw: Self.rounded(raw, step: Int128(step), rounding))
    }

    private static func rounded<Digits: BinaryInteger>(_ raw: Digits, step: Digits, _ rounding: Amount.Rounding) -> Digits {
        let (quotient, remainder) = raw.quotientAndRemainder(dividingBy: step)
        var kept = quotient
        switch rounding {
        case .halfUp:
            if remainder.magnitude * 2 >= step.magnitude { kept += raw < 0 ? -1 : 1 }
        case .up:
            if remainder > 0 { kept += 1 }
        }
        return kept * step
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

    /// Trailing zeros dropped, at most 12: by 10^8, 10^4, 10^2 and 10, each where it divides (four
    /// divisions by constants at most, rather than one a zero).
    private static func withoutTrailingZeros(_ digits: UInt64) -> (digits: UInt64, exponent: Int) {
        var digits = digits, zeros = 0
        if digits % 100_000_000 == 0 { (digits, zeros) = (digits / 100_000_000, 8) }
        if zeros <= 8, digits % 10_000 == 0 { (digits, zeros) = (digits / 10_000, zeros + 4) }
        if zeros <= 10, digits % 100 == 0 { (digits, zeros) = (digits / 100, zeros + 2) }
        if zeros <= 11, digits % 10 == 0 { (digits, zeros) = (digits / 10, zeros + 1) }
        return (digits, zeros - decimals)
    }

    private static func withoutTrailingZeros(_ digits: UInt128) -> (digits: UInt128, exponent: Int) {
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
