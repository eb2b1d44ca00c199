// CPU-heavy work (a city's thousands of offers read, assembled, signed or written) run on NIO's
// thread pool, not on the event loops that run Swift's tasks here (EventLoopExecutor): those loops
// also carry every other request, and one search's 50-100 ms of work on a loop had held up every
// connection of that loop (query-engine's warm searches: p99 100 ms at 500 req/s).

import NIOPosix

public func offloaded<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await NIOThreadPool.singleton.runIfActive(work)
}
