// Channel managers' messages, forwarded by the gateway once their signature checks out
// (`POST /api/v1/webhooks/channels/{code}` there):
//   POST /channels/{channel}/messages      OTA XML, header X-Message-Key -> the OTA answer (XML)
// Operators (through the gateway):
//   GET  /api/v1/admin/inventory/channel-messages[?status=applied|queued|refused&page=&page_size=]

import FoundationEssentials
import Hummingbird
import Shared

struct ChannelController: Sendable {
    let desk: ChannelDesk
    let messages: ChannelRepository

    static let maximumBytes = 4 << 20

    func add(to router: Router<PlatformRequestContext>) {
        router.post("channels/:channel/messages") { request, context in
            let channel = try TextRule.code.check(try context.parameters.require("channel"), field: "channel")
            guard let key = request.headers[.messageKey], (1...200).contains(key.utf8.count) else {
                throw Problem(.badRequest, code: "missing_message_key", detail: "X-Message-Key (the signed message's digest) is required.")
            }
            let body = Array(buffer: try await request.body.collect(upTo: Self.maximumBytes))
            let answer = try await desk.receive(channel: channel, key: key, body: body, trace: context.trace)
            return Response(status: .ok, headers: [.contentType: "application/xml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: answer)))
        }
        router.get("api/v1/admin/inventory/channel-messages") { request, context in
            _ = try context.requireOperator()
            let status = request.uri.queryParameters["status"].map(String.init)
            if let status, ChannelRepository.Status(rawValue: status) == nil {
                throw Problem(.badRequest, code: "invalid_query", detail: "status must be applied, queued or refused.")
            }
            let (page, size) = try request.paging()
            let found = try await messages.page(status: status, limit: size, offset: (page - 1) * size)
            return ListPage(total: found.total, page: page, pageSize: size, name: "messages", items: found.messages)
        }
    }
}
