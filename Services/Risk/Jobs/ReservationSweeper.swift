// Releases reservations their orders neither captured nor released in time: every `interval`, each
// due one is released as an `expired` movement (event `credit.released`, status `expired`). Replicas
// may sweep at once: the compare-and-swap on each reservation lets only one release it.

import Logging
import ServiceLifecycle
import Shared

struct ReservationSweeper: Service {
    let repository: CreditRepository
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                while try await repository.sweepExpired() == 100 {}
            } catch {
                logger.warning("expired reservations not swept", metadata: ["error": .string("\(error)")])
            }
            await Task.pause(for: interval)
        }
    }
}
