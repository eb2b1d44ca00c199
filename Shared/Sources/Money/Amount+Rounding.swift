// Rounding an amount to a number of decimals, exactly, on its decimal digits (FoundationEssentials'
// Decimal has no public rounding): half away from zero for prices shown, or up (toward +infinity)
// where a floor must hold after rounding.

import FoundationEssentials

extension Amount {
    public enum Rounding: Sendable {
        /// Half away from zero: 2.345 -> 2.35, -2.345 -> -2.35.
        case halfUp
        /// Toward +infinity: 2.341 -> 2.35, -2.349 -> -2.34.
        case up
    }

    /// This amount with at most `scale` decimals.
    public func rounded(toScale scale: Int, _ rounding: Rounding = .halfUp) -> Amount {
        guard let digits else { return roundedByText(toScale: scale, rounding) }
        guard digits.scale > scale else { return self }
        let step = Self.power(digits.scale - scale)
        let (quotient, remainder) = Int128(digits.significand).quotientAndRemainder(dividingBy: step)
        let kept = quotient + Self.increment(remainder: remainder, of: step, negative: digits.significand < 0, rounding)
        return Self.exactly(kept, scale: scale) ?? roundedByText(toScale: scale, rounding)
    }

    /// This amount x `numerator` / `denominator` rounded to `scale` decimals, exactly (a share of a
    /// price, a price per night); through Decimal when the digits would not fit 128 bits.
    public func scaled(by numerator: Amount, over denominator: Amount, toScale scale: Int, _ rounding: Rounding = .halfUp) -> Amount {
        let byDecimal = { (self * numerator / denominator).rounded(toScale: scale, rounding) }
        guard let a = digits, let n = numerator.digits, let d = denominator.digits, d.significand != 0 else { return byDecimal() }
        // self x n / d = a x n / d x 10^-(a.scale + n.scale - d.scale); wanted at 10^-scale.
        let shift = scale - a.scale - n.scale + d.scale
        var top = Int128(a.significand) * Int128(n.significand), bottom = Int128(d.significand)
        if shift >= 0 {
            let (shifted, overflow) = top.multipliedReportingOverflow(by: Self.power(min(shift, 38)))
            guard !overflow, shift <= 38 else { return byDecimal() }
            top = shifted
        } else {
            guard -shift <= 19 else { return byDecimal() }
            bottom *= Self.power(-shift)
        }
        if bottom < 0 { (top, bottom) = (-top, -bottom) }
        let (quotient, remainder) = top.quotientAndRemainder(dividingBy: bottom)
        let kept = quotient + Self.increment(remainder: remainder, of: bottom, negative: top < 0, rounding)
        return Self.exactly(kept, scale: scale) ?? byDecimal()
    }

    /// This amount shared `count` ways (a stay's total per night), rounded to `scale` decimals.
    public func divided(by count: Int, toScale scale: Int, _ rounding: Rounding = .halfUp) -> Amount {
        scaled(by: Amount(digits: 1, scale: 0), over: Amount(digits: Int64(count), scale: 0), toScale: scale, rounding)
    }

    /// What a quotient truncated toward zero gains from its `remainder` (of `divisor`, positive):
    /// half away from zero, or up toward +infinity.
    private static func increment(remainder: Int128, of divisor: Int128, negative: Bool, _ rounding: Rounding) -> Int128 {
        switch rounding {
        case .halfUp: remainder.magnitude * 2 >= divisor.magnitude ? (negative ? -1 : 1) : 0
        case .up: remainder > 0 ? 1 : 0
        }
    }

    private func roundedByText(toScale scale: Int, _ rounding: Rounding) -> Amount {
        let text = value.description
        let negative = text.hasPrefix("-")
        let unsigned = negative ? text.dropFirst() : Substring(text)
        let parts = unsigned.split(separator: ".", maxSplits: 1)
        let whole = String(parts[0]), fraction = parts.count > 1 ? String(parts[1]) : ""
        guard fraction.count > scale else { return self }
        let kept = Array(whole + fraction.prefix(scale))
        let dropped = fraction.dropFirst(scale)
        let increment: Bool
        switch rounding {
        case .halfUp: increment = dropped.first.map { $0 >= "5" } ?? false
        case .up: increment = !negative && dropped.contains { $0 != "0" }
        }
        var digits = kept.map { Int($0.asciiValue! - 48) }
        if increment {
            var index = digits.count - 1
            while index >= 0 {
                if digits[index] < 9 {
                    digits[index] += 1
                    break
                }
                digits[index] = 0
                index -= 1
            }
            if index < 0 { digits.insert(1, at: 0) }
        }
        let all = digits.map(String.init).joined()
        let wholeDigits = all.dropLast(scale), fractionDigits = all.suffix(scale)
        let rebuilt = (negative ? "-" : "") + (wholeDigits.isEmpty ? "0" : String(wholeDigits)) + (scale > 0 ? "." + fractionDigits : "")
        return Amount(rebuilt) ?? self
    }

    public static func * (a: Amount, b: Amount) -> Amount {
        guard let x = a.digits, let y = b.digits, let product = exactly(Int128(x.significand) * Int128(y.significand), scale: x.scale + y.scale) else {
            return Amount(a.value * b.value)
        }
        return product
    }
    public static func / (a: Amount, b: Amount) -> Amount { Amount(a.value / b.value) }
}
