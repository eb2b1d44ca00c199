// A search's CPU-heavy steps (thousands of offers assembled, a page of them signed, a 200 KB answer
// written) run on NIO's thread pool, not on the event loops that run Swift's tasks here
// (EventLoopExecutor): those loops also answer the searches served from memory in a fraction of a
// millisecond, and one search worked out on a loop had held up every connection of that loop for
// the 50-100 ms it took (warm searches' p99 at 500 req/s: 100 ms).

import NIOPosix

func offloaded<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await NIOThreadPool.singleton.runIfActive(work)
}
