// Header names the platform reads and writes (`traceparent` comes with HTTPTypes).

import HTTPTypes

extension HTTPField.Name {
    public static let requestId = HTTPField.Name("X-Request-Id")!
}

extension HTTPField.Name {
    /// Set only by the gateway, from the verified token; dropped when a client sends them.
    public static let tenantId = HTTPField.Name("X-Tenant-Id")!
    public static let role = HTTPField.Name("X-Role")!
    /// The gateway's signature over the identity headers (see GatewayIdentity).
    public static let gatewaySignature = HTTPField.Name("X-Gateway-Signature")!
    public static let rateLimitLimit = HTTPField.Name("X-RateLimit-Limit")!
    public static let rateLimitRemaining = HTTPField.Name("X-RateLimit-Remaining")!
    public static let rateLimitReset = HTTPField.Name("X-RateLimit-Reset")!
}

extension HTTPField.Name {
    /// Webhooks, both directions: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`.
    public static let signature = HTTPField.Name("X-Signature")!
    /// Unique per webhook: what the receiver deduplicates on.
    public static let webhookId = HTTPField.Name("X-Webhook-Id")!
    public static let eventType = HTTPField.Name("X-Event-Type")!
}

extension HTTPFields {
    /// Headers another parser read (NIO's), a name that is not a token left out.
    public init(parsed headers: some Sequence<(name: String, value: String)>) {
        self.init()
        for (name, value) in headers {
            if let name = HTTPField.Name(name) { append(HTTPField(name: name, value: value)) }
        }
    }

    /// The first value of a header sent once (an id, a token, a signature), without joining
    /// repeats as the subscript does (a lazy map and a join: ~5k instructions a lookup).
    public func first(_ name: HTTPField.Name) -> String? {
        for field in self where field.name == name { return field.value }
        return nil
    }
}

extension HTTPField.Name {
    /// On an idempotent operation's answer: `true` when it repeats what an earlier call answered.
    public static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
    /// On a request that creates something: the client's key that makes a retry safe.
    public static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    /// From the gateway to the services: the address its caller connected from (only the gateway sets it).
    public static let clientIP = HTTPField.Name("X-Client-IP")!
}

extension HTTPField.Name {
    /// From the gateway to inventory with a channel manager's message: the digest of the signed
    /// message (WebhookSignature.messageKey), what a repeat is recognised by.
    public static let messageKey = HTTPField.Name("X-Message-Key")!
}
