// What a service's heap keeps from the system. glibc gives each thread that allocates its own arena
// (up to 8 per core) and keeps what was freed inside them; a service has a dozen threads (event
// loops, blocking pools, consumers) and does its big work in bursts (a mapping job, a catalog
// reload), so left alone it holds megabytes it no longer uses. Two arenas are enough for two event
// loops, and a scavenger hands freed pages back every half minute, as Go's runtime does.

import CShims
import NIOPosix
import ServiceLifecycle

public enum ProcessMemory {
    /// Before the first threads start.
    public static func limitArenas(to count: Int32 = 2) {
        _ = cshims_malloc_arena_max(count)
    }

    /// Returns the heap's free pages to the system; true when there were some.
    @discardableResult
    public static func returnFreePages() -> Bool {
        cshims_malloc_trim() == 1
    }
}

/// Runs `ProcessMemory.returnFreePages` every `interval` until the service stops, off the event
/// loops (it walks the whole heap).
public struct MemoryScavenger: Service {
    let interval: Duration

    public init(interval: Duration = .seconds(30)) {
        self.interval = interval
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            await Task.pause(for: interval)
            _ = try? await NIOThreadPool.singleton.runIfActive { ProcessMemory.returnFreePages() }
        }
    }
}
