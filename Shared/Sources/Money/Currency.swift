// ISO 4217 currency codes and their minor units (how many decimals an amount in them carries).

public enum Currency {
    /// Three upper-case ASCII letters, like CNY or EUR.
    public static func isCode(_ text: some StringProtocol) -> Bool {
        text.utf8.count == 3 && text.utf8.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
    }

    /// Decimals of `code` (ISO 4217): 2 for most, 0 for the yen and its like, 3 for the dinars.
    public static func minorUnits(_ code: String) -> Int { otherThanTwo[code] ?? 2 }

    /// Every code whose minor units are not 2: none for the yen and its like, three for the dinars,
    /// four for the two units of account.
    private static let otherThanTwo: [String: Int] = Dictionary(uniqueKeysWithValues:
        ["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"].map { ($0, 0) }
        + ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"].map { ($0, 3) } + ["CLF", "UYW"].map { ($0, 4) })
}
