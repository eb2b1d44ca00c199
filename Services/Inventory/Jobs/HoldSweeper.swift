// Gives back rooms held for orders that neither confirmed nor released them in time: every
// `interval`, each due hold becomes `expired` and its nights' `held` drops. Replicas may sweep at
// once: the compare-and-swap on each hold lets only one expire it.

import Logging
import ServiceLifecycle
import Shared

struct HoldSweeper: Service {
    let desk: HoldDesk
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                while try await desk.sweep() == 100 {}
            } catch {
                logger.warning("expired holds not swept", metadata: ["error": .string("\(error)")])
            }
            await Task.pause(for: interval)
        }
    }
}
