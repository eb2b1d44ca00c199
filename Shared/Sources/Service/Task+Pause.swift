// A background loop's pause between rounds that ends early when the service group shuts down (or
// the task is cancelled), so that stopping a service never waits out a 10 s poll interval.

import ServiceLifecycle

extension Task where Success == Never, Failure == Never {
    public static func pause(for duration: Duration) async {
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
    }
}
