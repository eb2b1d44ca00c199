// Inbound supplier webhooks: POST /api/v1/webhooks/suppliers/{code}, signed by the supplier with
// the secret an operator registered. Accepted once: a replayed webhook id or signed message is
// refused. What passes is published as a `supplier.webhook.received` event (through the outbox)
// for supplier-adapter to apply.
// Channel managers' OTA messages: POST /api/v1/webhooks/channels/{code}, signed the same way with
// the same secret, are forwarded to inventory at once and answered with its OTA answer (XML); a
// repeat of a signed message gets the first answer (inventory keeps it by the message's digest).

import FoundationEssentials
import Hummingbird
import Shared

struct SupplierWebhookController {
    let repository: WebhookRepository
    let secrets: SecretBox
    let limiter: RateLimiter
    /// Where channel messages go (inventory), and the client to reach it.
    let inventory: UpstreamTarget
    let client: HTTP1Client

    /// What one supplier code may send before the gateway stops looking secrets up for it.
    static let attempts = RateLimit(max: 6000, window: .seconds(60))

    static let secretContext = "supplier-webhook"

    struct Accepted: ResponseEncodable {
        var status = "accepted"
        var webhookId: String
        var eventId: String
        enum CodingKeys: String, CodingKey { case status, webhookId = "webhook_id", eventId = "event_id" }
    }

    struct SecretInput: Decodable { var secret: String }

    func add(public api: RouterGroup<PlatformRequestContext>, admin: RouterGroup<PlatformRequestContext>) {
        api.post("/webhooks/suppliers/{code}") { request, context in
            EditedResponse(status: .accepted, response: try await receive(request, context))
        }
        api.post("/webhooks/channels/{code}") { request, context in
            try await forwardChannelMessage(request, context)
        }
        admin.put("/supplier-webhooks/{code}") { request, context -> HTTPResponse.Status in
            let input = try await request.decode(as: SecretInput.self, context: context)
            try TextRule(length: 16...200).check(input.secret, field: "secret", code: "invalid_webhook_secret")
            try await repository.setSupplierSecret(try Self.code(context), sealed: try secrets.seal(input.secret, context: Self.secretContext))
            return .noContent
        }
        admin.delete("/supplier-webhooks/{code}") { _, context -> HTTPResponse.Status in
            let code = try Self.code(context)
            guard try await repository.deleteSupplierSecret(code) else {
                throw Problem(.notFound, code: "supplier_webhook_not_found", detail: "No webhook secret is registered for supplier \(code).")
            }
            return .noContent
        }
    }

    /// The supplier code, the body and the signed timestamp of a webhook whose signature checks out.
    func verified(_ request: Request, _ context: PlatformRequestContext) async throws -> (code: String, body: [UInt8], timestamp: Int) {
        let code = try Self.code(context)
        guard await limiter.admit("webhook:" + code, limit: Self.attempts).allowed else {
            throw Problem(.tooManyRequests, code: "rate_limited", detail: "Too many webhooks for supplier \(code); retry shortly.", headers: [.retryAfter: "1"])
        }
        let body = Array(buffer: try await request.body.collect(upTo: context.maxUploadSize))
        guard let header = request.headers[.signature] else {
            throw Problem(.unauthorized, code: "invalid_signature", detail: "Sign the webhook: X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"t.body\">.")
        }
        // An unknown supplier and a wrong signature look the same from outside.
        let secret = try await repository.sealedSupplierSecret(code).map { try secrets.open($0, context: Self.secretContext) }
        do {
            let timestamp = try WebhookSignature.verify(header, secret: secret ?? "", body: body, now: Int(Date().timeIntervalSince1970))
            if secret == nil { throw WebhookSignature.Rejection.mismatch }
            return (code, body, timestamp)
        } catch WebhookSignature.Rejection.stale {
            throw Problem(.unauthorized, code: "signature_expired", detail: "The signature's timestamp is more than \(WebhookSignature.tolerance) s from now; sign with the current time.")
        } catch {
            throw Problem(.unauthorized, code: "invalid_signature", detail: "The signature does not match this supplier's secret, or X-Signature is malformed.")
        }
    }

    func receive(_ request: Request, _ context: PlatformRequestContext) async throws -> Accepted {
        let (code, body, timestamp) = try await verified(request, context)
        guard let webhookId = request.headers[.webhookId], (1...200).contains(webhookId.utf8.count) else {
            throw Problem(.badRequest, code: "missing_webhook_id", detail: "Send X-Webhook-Id (1 to 200 characters), unique per webhook.")
        }
        let payload = try body.withUnsafeBytes { try PlatformJSON.decodeBody(JSONValue.self, from: $0) }
        let event = try EventEnvelope(
            type: SupplierWebhookEvent.type, producer: "gateway", tenantId: nil, trace: context.trace,
            payload: SupplierWebhookEvent(supplierCode: code, webhookId: webhookId, receivedAt: Date(), body: payload))
        let replayKeys = ["id:" + webhookId, "msg:" + WebhookSignature.messageKey(timestamp: timestamp, body: body)]
        guard try await repository.accept(supplier: code, replayKeys: replayKeys, event: event) else {
            throw Problem(.conflict, code: "webhook_replayed", detail: "This webhook (its id or its signed message) was already received.")
        }
        return Accepted(webhookId: webhookId, eventId: event.id.uuidString.lowercased())
    }

    /// Hands a verified channel message to inventory and answers what inventory answered.
    func forwardChannelMessage(_ request: Request, _ context: PlatformRequestContext) async throws -> Response {
        let (code, body, timestamp) = try await verified(request, context)
        let headers: HTTPFields = [
            .contentType: request.headers[.contentType] ?? "application/xml", .messageKey: WebhookSignature.messageKey(timestamp: timestamp, body: body),
            .requestId: context.requestId, .traceparent: context.trace.traceparent,
        ]
        let answer: HTTP1Client.Response
        do {
            answer = try await client.execute(
                .post, inventory.baseURL + "/channels/\(code)/messages", headers: headers, body: ByteBuffer(bytes: body), timeout: inventory.timeout)
        } catch {
            throw Problem(.serviceUnavailable, code: "upstream_unavailable", detail: "Inventory does not answer; send the message again shortly.", headers: [.retryAfter: "5"])
        }
        var fields: HTTPFields = [:]
        if let type = answer.headers[.contentType] { fields[.contentType] = type }
        return Response(status: answer.status, headers: fields, body: .init(byteBuffer: answer.body))
    }

    static func code(_ context: PlatformRequestContext) throws -> String {
        let code = try context.parameters.require("code")
        guard (1...50).contains(code.utf8.count), code.utf8.allSatisfy({ $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }) else {
            throw Problem(.badRequest, code: "invalid_supplier_code", detail: "Supplier codes are 1 to 50 characters of A-Z, a-z, 0-9, '_' and '-'.")
        }
        return code
    }
}

extension UInt8 {
    var isASCIIAlphanumeric: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
    }
}
