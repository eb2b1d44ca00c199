// Readiness of RabbitMQ: open an AMQP connection (login and channel), then close it.

import NIOPosix

struct RabbitMQPing: DependencyCheck {
    let settings: AMQPSettings
    var name: String { "rabbitmq" }

    func check(timeout: Duration) async throws -> String? {
        var settings = settings
        settings.timeout = timeout
        return try await NIOThreadPool.singleton.runIfActive { [settings] in
            let connection = AMQPConnection(settings: settings)
            try connection.open()
            defer { connection.close() }
            return connection.serverProperty("version")
        }
    }
}
