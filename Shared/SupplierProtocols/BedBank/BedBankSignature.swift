// Bed-bank authentication: `Api-key` and `X-Signature` = hex SHA-256 of key + secret + Unix seconds.

import HTTPTypes
import Shared

public enum BedBankSignature {
    public static let keyHeader = "Api-key"
    public static let signatureHeader = "X-Signature"
    /// Clock difference tolerated between caller and supplier.
    public static let allowedSkewSeconds = 60

    public static func sign(key: String, secret: String, unixSeconds: Int) -> String {
        Digest.hex(Digest.sha256(Array((key + secret + String(unixSeconds)).utf8)))
    }

    public static func verify(_ signature: String, key: String, secret: String, now: Int) -> Bool {
        let given = Array(signature.lowercased().utf8)
        guard given.count == 64 else { return false }
        var matched = false
        for second in (now - allowedSkewSeconds)...(now + allowedSkewSeconds) {
            matched = Digest.constantTimeEquals(Array(sign(key: key, secret: secret, unixSeconds: second).utf8), given) || matched
        }
        return matched
    }
}

extension HTTPField.Name {
    /// The bed bank's API key header (the signature travels in `X-Signature`, `.signature`).
    public static let apiKey = Self(BedBankSignature.keyHeader)!
}
