// Readiness of RabbitMQ: open an AMQP connection with librabbitmq, log in, close.

import CRabbitMQ
import CShims
import Foundation
import NIOPosix

struct RabbitMQPing: DependencyCheck {
    let settings: AMQPSettings
    var name: String { "rabbitmq" }

    func check(timeout: Duration) async throws {
        let settings = settings
        let seconds = max(1, Int(timeout.components.seconds))
        try await NIOThreadPool.singleton.runIfActive {
            try Self.ping(
                host: settings.host, port: Int32(settings.port), vhost: settings.vhost, user: settings.user,
                password: settings.password, seconds: seconds)
        }
    }

    /// `amqp://host` and `amqp://host/` mean the default vhost `/`; otherwise the path names it.
    static func vhost(_ url: URL) -> String {
        let path = String(url.path.drop(while: { $0 == "/" }))
        return path.isEmpty ? "/" : (path.removingPercentEncoding ?? path)
    }

    static func ping(host: String, port: Int32, vhost: String, user: String, password: String, seconds: Int) throws {
        guard let connection = amqp_new_connection() else { throw DependencyFailure("librabbitmq could not allocate a connection") }
        defer { amqp_destroy_connection(connection) }
        guard let socket = amqp_tcp_socket_new(connection) else { throw DependencyFailure("librabbitmq could not create a socket") }
        var limit = timeval(tv_sec: seconds, tv_usec: 0)
        amqp_set_handshake_timeout(connection, &limit)
        amqp_set_rpc_timeout(connection, &limit)
        let opened = amqp_socket_open_noblock(socket, host, port, &limit)
        guard opened == AMQP_STATUS_OK.rawValue else {
            throw DependencyFailure("cannot connect to \(host):\(port): \(String(cString: amqp_error_string2(opened)))")
        }
        let reply = cshims_amqp_login_plain(connection, vhost, 0, 131072, 0, user, password)
        guard reply.reply_type == AMQP_RESPONSE_NORMAL else {
            throw DependencyFailure("login to vhost '\(vhost)' as '\(user)' failed")
        }
        _ = amqp_connection_close(connection, 200)
    }
}
