// A decimal amount of money, on the wire as a string ("1234.50"), never a binary float.
// The currency travels beside it (ISO 4217), as the JSON conventions say (docs/json.md).

import FoundationEssentials

public struct Amount: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The amount as a Decimal: as it was made, or from its digits when asked (most amounts are
    /// read, compared, summed and written from their digits and never need one: making it for each
    /// of a batch's thousands of amounts was a tenth of pricing's work).
    public var value: Decimal {
        if let decimal { return decimal }
        guard let (significand, scale) = digits, significand != 0 else { return Decimal(0) }
        return Decimal(sign: significand < 0 ? .minus : .plus, exponent: -scale, significand: Decimal(significand.magnitude))
    }
    /// Set when made from a Decimal; nil when made from digits.
    private let decimal: Decimal?
    /// The amount as an integer of 10^-scale units, when it was made from one that fits (parsed
    /// from up to 18 digits, or `init(digits:scale:)`): printed from it, not by Decimal's long
    /// division, which cost pricing a third of a batch. Not part of its identity.
    public let digits: (significand: Int64, scale: Int)?

    public init(_ value: Decimal) {
        decimal = value
        digits = nil
    }

    /// `significand` x 10^-`scale`, `scale` 0 to 18.
    public init(digits significand: Int64, scale: Int) {
        precondition((0...18).contains(scale), "scale \(scale) outside 0-18")
        decimal = nil
        digits = (significand, scale)
    }

    public static func == (a: Amount, b: Amount) -> Bool {
        guard let (x, y, _) = aligned(a, b) else { return a.value == b.value }
        return x == y
    }
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }

    /// `minorUnits` of a currency with `scale` decimals: `Amount(minorUnits: 12345, scale: 2)` is 123.45.
    public init(minorUnits: Int, scale: Int = 2) {
        self.init(digits: Int64(minorUnits), scale: scale)
    }

    /// Plain decimal notation only: an optional minus, digits, optionally a point and digits. Up to
    /// 18 digits are read as an integer and an exponent (Decimal's own parser is slow); more, by it.
    public init?(_ text: some StringProtocol) { self.init(utf8: text.utf8) }

    /// The same from the text's UTF-8 bytes (JSONReader reads amounts without making a String).
    public init?<Bytes: Collection<UInt8>>(utf8 text: Bytes) {
        var digitsBeforePoint = 0, digitsAfterPoint = 0, sawPoint = false, negative = false
        var digits: UInt64 = 0
        for (index, byte) in text.enumerated() {
            switch byte {
            case UInt8(ascii: "-") where index == 0: negative = true
            case UInt8(ascii: "."):
                if sawPoint { return nil }
                sawPoint = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if sawPoint { digitsAfterPoint += 1 } else { digitsBeforePoint += 1 }
                if digitsBeforePoint + digitsAfterPoint <= 18 { digits = digits * 10 + UInt64(byte - UInt8(ascii: "0")) }
            default: return nil
            }
        }
        guard digitsBeforePoint > 0, !sawPoint || digitsAfterPoint > 0, digitsBeforePoint + digitsAfterPoint <= 30 else { return nil }
        if digitsBeforePoint + digitsAfterPoint <= 18 {
            self.init(digits: negative ? -Int64(digits) : Int64(digits), scale: digitsAfterPoint)
            return
        }
        guard let value = Decimal(string: String(decoding: text, as: UTF8.self)) else { return nil }
        self.init(value)
    }

    public static let zero = Amount(digits: 0, scale: 0)

    /// Two decimals at least (`12.5` -> `12.50`), more only when the value has them.
    public var description: String {
        let text = digits.map(Self.text) ?? value.description
        guard let point = text.firstIndex(of: ".") else { return text + ".00" }
        let decimals = text.distance(from: point, to: text.endIndex) - 1
        return decimals >= 2 ? text : text + String(repeating: "0", count: 2 - decimals)
    }

    /// `description`'s bytes appended to `out`, from the digits when the amount keeps them (no String
    /// made: a search writes thousands of amounts).
    public func appendText(to out: inout [UInt8]) {
        guard let digits else { return out.append(contentsOf: description.utf8) }
        var magnitude = digits.significand.magnitude, scale = digits.scale
        while scale > 2, magnitude % 10 == 0 {
            magnitude /= 10
            scale -= 1
        }
        if digits.significand < 0 && magnitude != 0 { out.append(UInt8(ascii: "-")) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { buffer in
            // The digits backwards, at least one before the point.
            var count = 0
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0 || count <= scale
            for index in stride(from: count - 1, through: 0, by: -1) {
                if index == scale - 1 { out.append(UInt8(ascii: ".")) }
                out.append(buffer[index])
            }
        }
        switch scale {
        case 0: out.append(contentsOf: [UInt8(ascii: "."), UInt8(ascii: "0"), UInt8(ascii: "0")])
        case 1: out.append(UInt8(ascii: "0"))
        default: break
        }
    }

    /// As Decimal prints it: no trailing zeros after the point, no point when nothing follows.
    static func text(_ digits: (significand: Int64, scale: Int)) -> String {
        var magnitude = digits.significand.magnitude, scale = digits.scale
        while scale > 0, magnitude % 10 == 0 {
            magnitude /= 10
            scale -= 1
        }
        var text = String(magnitude)
        if scale > 0 {
            if text.utf8.count <= scale { text = String(repeating: "0", count: scale - text.utf8.count + 1) + text }
            text.insert(".", at: text.index(text.endIndex, offsetBy: -scale))
        }
        return digits.significand < 0 && magnitude != 0 ? "-" + text : text
    }

    // Comparisons, sums and differences (and products, rounding: Amount+Rounding.swift) work on the
    // digits as integers when both amounts keep them, exactly; Decimal's arithmetic and comparison
    // had been most of what assembling a search answer cost.
    public static func < (a: Amount, b: Amount) -> Bool {
        guard let (x, y, _) = aligned(a, b) else { return a.value < b.value }
        return x < y
    }

    public static func + (a: Amount, b: Amount) -> Amount {
        guard let (x, y, scale) = aligned(a, b), let sum = exactly(x + y, scale: scale) else { return Amount(a.value + b.value) }
        return sum
    }

    public static func - (a: Amount, b: Amount) -> Amount {
        guard let (x, y, scale) = aligned(a, b), let difference = exactly(x - y, scale: scale) else { return Amount(a.value - b.value) }
        return difference
    }

    /// Both amounts' digits as integers of one scale (the larger), when both keep them.
    static func aligned(_ a: Amount, _ b: Amount) -> (Int128, Int128, scale: Int)? {
        guard let x = a.digits, let y = b.digits else { return nil }
        let scale = max(x.scale, y.scale)
        return (Int128(x.significand) * power(scale - x.scale), Int128(y.significand) * power(scale - y.scale), scale)
    }

    /// `value` x 10^-`scale` as an amount that keeps its digits (trailing zeros dropped as needed);
    /// nil when it cannot (over 18 digits of either).
    static func exactly(_ value: Int128, scale: Int) -> Amount? {
        var value = value, scale = scale
        while scale > 0, scale > 18 || Int64(exactly: value) == nil, value % 10 == 0 {
            value /= 10
            scale -= 1
        }
        guard scale >= 0, scale <= 18, let small = Int64(exactly: value) else { return nil }
        return Amount(digits: small, scale: scale)
    }

    /// 10^`exponent`, `exponent` 0 to 38.
    static func power(_ exponent: Int) -> Int128 { powers[exponent] }
    private static let powers: [Int128] = (0...38).map { exponent in (0..<exponent).reduce(Int128(1)) { power, _ in power * 10 } }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let amount = Amount(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a decimal amount as a string like \"123.45\", got '\(text)'")
        }
        self = amount
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// An amount in a currency.
public struct Money: Hashable, Sendable, Codable, CustomStringConvertible {
    public var amount: Amount
    /// ISO 4217, upper case.
    public var currency: String

    public init(_ amount: Amount, _ currency: String) {
        self.amount = amount
        self.currency = currency
    }

    public var description: String { "\(amount) \(currency)" }
}
