// What a service's heap keeps from the system. glibc gives each thread that allocates its own arena
// (up to 8 per core) and keeps what was freed inside them; a service has a dozen threads (event
// loops, blocking pools, consumers) and does its big work in bursts (a mapping job, a catalog
// reload), so left alone it holds megabytes it no longer uses. Two arenas are enough for two event
// loops, and a scavenger hands freed pages back every half minute, as Go's runtime does.
//
// Between scavenges, what is freed stays for reuse: by default glibc maps each block over 128 KiB
// (a request body of a thousand offers, the array read from it, the answer written) afresh from the
// kernel and unmaps it when freed, so every such request paid for zeroed pages again (page faults
// were an eighth of pricing's CPU for a batch of a thousand offers; kept, a batch costs 14 % less).

import CShims
import NIOPosix
import ServiceLifecycle

public enum ProcessMemory {
    /// Before the first threads start.
    public static func limitArenas(to count: Int32 = 2) {
        _ = cshims_malloc_arena_max(count)
    }

    /// Before the first threads start: blocks up to `mapAbove` come from the heap, and up to
    /// `trimAbove` of free heap top stays (the scavenger still returns every free page).
    public static func keepFreedForReuse(mapAbove: Int = 8 << 20, trimAbove: Int = 64 << 20) {
        _ = cshims_malloc_keep_freed(mapAbove, trimAbove)
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
        // First once the service has started: what starting freed (migrations, first reads) goes back.
        var pause = Duration.seconds(1)
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            await Task.pause(for: pause)
            _ = try? await NIOThreadPool.singleton.runIfActive { ProcessMemory.returnFreePages() }
            pause = interval
        }
    }
}
