// Riding out a server restart: keep trying to connect, with backoff, for a bounded time. Blocking:
// called only on a pool thread.

enum Reconnect {
    static func retrying(for window: Duration, _ connect: () throws -> Void) throws {
        let deadline = ContinuousClock.now + window
        var pause = Duration.milliseconds(50)
        while true {
            do {
                return try connect()
            } catch {
                let left = deadline - ContinuousClock.now
                guard left > .zero else { throw error }
                OSThread.sleep(min(pause, left))
                pause = min(pause * 2, .seconds(1))
            }
        }
    }
}
