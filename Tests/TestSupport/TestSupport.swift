// Helpers both test targets use: waiting for a condition, and local ports.

import Glibc

/// Polls `condition` until it holds or `limit` passes; true when it held.
public func eventually(within limit: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

/// A TCP socket bound to 127.0.0.1:`port` (0: a port the kernel picks): the socket and its port,
/// or nil when the port is taken.
public func boundSocket(port: Int = 0) -> (fd: Int32, port: Int)? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    guard bound == 0 else {
        close(fd)
        return nil
    }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
}

/// A TCP port for a test server to listen on: never the same twice in this process, and below the
/// kernel's ephemeral range (32768-60999), so no outgoing connection takes it between this check
/// and the server's bind. (Asking the kernel for port 0 and closing the socket left a window in
/// which two servers of parallel suites could be handed the same port, and a test then talked to
/// the other suite's server.)
public func freePort() -> Int {
    PortRegistry.shared.next()
}

final class PortRegistry: @unchecked Sendable {
    static let shared = PortRegistry()
    private var mutex = pthread_mutex_t()
    private var handedOut = Set<Int>()

    init() { pthread_mutex_init(&mutex, nil) }

    func next() -> Int {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        while true {
            let port = Int.random(in: 20000..<32000)
            guard !handedOut.contains(port), Self.bindable(port) else { continue }
            handedOut.insert(port)
            return port
        }
    }

    /// Nothing is bound to 127.0.0.1:port now.
    static func bindable(_ port: Int) -> Bool {
        guard let (fd, _) = boundSocket(port: port) else { return false }
        close(fd)
        return true
    }
}

/// The port a service under test bound (`PORT=0`), read from its "listening" log line among `lines()`.
public func listeningPort(in lines: () -> [String]) async throws -> Int {
    for _ in 0..<100 {
        for line in lines() where line.contains("\"listening\"") {
            if let match = line.firstMatch(of: /:(\d+)"/), let port = Int(match.1) { return port }
        }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw NoListeningLine()
}

public struct NoListeningLine: Error {}
