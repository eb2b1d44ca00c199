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

    public static func * (a: Amount, b: Amount) -> Amount { Amount(a.value * b.value) }
    public static func / (a: Amount, b: Amount) -> Amount { Amount(a.value / b.value) }
}
