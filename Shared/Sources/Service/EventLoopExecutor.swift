// Swift tasks run on NIO's event loops: a request no longer hops between NIO's threads and Swift's
// cooperative pool at every await (on two cores every hop waits for the scheduler). NIO installs
// itself as the global executor through the runtime's hook, which it finds with `dlsym`; with the
// runtime linked statically (release builds, as shipped) the hook is not exported, so the kit sets
// it itself, the way NIO does.

import CShims
import NIOCore
import NIOPosix

enum EventLoopExecutor {
    /// The runtime's hook: called with each job Swift would enqueue on its global executor.
    typealias EnqueueHook = @convention(thin) (UnownedJob, @convention(thin) (UnownedJob) -> Void) -> Void

    /// Before the first task is created; true when the event loops run Swift's tasks.
    static func install() -> Bool {
        if NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor() { return true }
        let slot = cshims_swift_task_enqueue_global_hook()!
        guard slot.pointee == nil else { return false }
        let hook: EnqueueHook = { job, _ in MultiThreadedEventLoopGroup.singleton.any().executor.enqueue(ExecutorJob(job)) }
        slot.pointee = unsafeBitCast(hook, to: UnsafeMutableRawPointer.self)
        return true
    }
}
