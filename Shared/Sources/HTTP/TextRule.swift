// The limits every string of the public API is held to: a length in characters, no control
// characters (line breaks only where text may run over lines), and a format where one applies.
// docs/openapi.yaml states the same limits (maxLength, pattern, format) for each field.

public struct TextRule: Sendable {
    public enum Format: Sendable {
        /// Any printable text.
        case text
        /// Letters, digits, '_', '-' and '.': codes, keys, names of things.
        case code
        /// `local@domain.tld`.
        case email
        /// An absolute http or https URL.
        case httpURL
    }

    public let length: ClosedRange<Int>
    public let format: Format
    public let multiline: Bool

    public init(length: ClosedRange<Int>, format: Format = .text, multiline: Bool = false) {
        self.length = length
        self.format = format
        self.multiline = multiline
    }

    /// A person's or company's name, a label.
    public static let name = TextRule(length: 1...200)
    public static let label = TextRule(length: 1...100)
    /// Free text an operator writes: a description, a note, a reason.
    public static let note = TextRule(length: 0...1000, multiline: true)
    public static let email = TextRule(length: 3...254, format: .email)
    public static let url = TextRule(length: 8...2000, format: .httpURL)
    /// Codes and keys (a supplier code, an API key id, a hotel code).
    public static let code = TextRule(length: 1...100, format: .code)
    /// Secrets and credentials.
    public static let secret = TextRule(length: 1...500)

    /// `value` when it keeps the rule, else a 400 problem naming `field` and what it must be.
    @discardableResult
    public func check(_ value: String, field: String, code: String = "invalid_field") throws -> String {
        guard let reason = violation(value) else { return value }
        throw Problem(.badRequest, code: code, detail: "\(field) \(reason).", extensions: ["field": .string(field)])
    }

    /// Nil when `value` is nil, else as `check`.
    public func check(_ value: String?, field: String, code: String = "invalid_field") throws -> String? {
        try value.map { try check($0, field: field, code: code) }
    }

    /// Why `value` breaks the rule, or nil.
    public func violation(_ value: String) -> String? {
        // Bytes first: a huge value is refused without counting its characters.
        if value.utf8.count > length.upperBound * 4 { return "must be at most \(length.upperBound) characters" }
        let count = value.count
        if count < length.lowerBound || count > length.upperBound {
            return length.lowerBound == 0 ? "must be at most \(length.upperBound) characters" : "must be \(length.lowerBound) to \(length.upperBound) characters"
        }
        if let control = value.unicodeScalars.first(where: { isRefused($0) }) {
            return "must not contain control characters (found U+\(String(control.value, radix: 16, uppercase: true)))"
        }
        switch format {
        case .text: return nil
        case .code:
            return value.utf8.allSatisfy(Self.isCodeByte) ? nil : "may hold only letters, digits, '_', '-' and '.'"
        case .email:
            return Self.isEmail(value) ? nil : "must be an email address like name@example.com"
        case .httpURL:
            return Self.isHTTPURL(value) ? nil : "must be an absolute http or https URL"
        }
    }

    private func isRefused(_ scalar: Unicode.Scalar) -> Bool {
        if multiline && (scalar == "\n" || scalar == "\t" || scalar == "\r") { return false }
        return scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}"
    }

    static func isCodeByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    static func isEmail(_ value: String) -> Bool {
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last, !local.isEmpty, local.utf8.count <= 64 else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }) else { return false }
        return !value.contains(where: \.isWhitespace)
    }

    static func isHTTPURL(_ value: String) -> Bool {
        let lower = value.lowercased()
        guard let rest = lower.hasPrefix("https://") ? lower.dropFirst(8) : lower.hasPrefix("http://") ? lower.dropFirst(7) : nil else { return false }
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return !host.isEmpty && !host.hasPrefix(":") && !value.contains(where: \.isWhitespace)
    }
}
