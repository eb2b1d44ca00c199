// At most `limit` calls to one supplier at a time (its pool size); the rest wait their turn, in
// order, but no longer than they are willing to.

actor ConcurrencyLimit {
    let limit: Int
    private var inUse = 0
    private var waiters: [(id: Int, continuation: CheckedContinuation<Bool, Never>)] = []
    private var nextId = 0

    init(limit: Int) { self.limit = limit }

    /// True with a slot (give it back with `release`), false when none came free within `patience`.
    func acquire(patience: Duration) async -> Bool {
        if inUse < limit {
            inUse += 1
            return true
        }
        let id = nextId
        nextId += 1
        return await withCheckedContinuation { continuation in
            waiters.append((id, continuation))
            Task {
                try? await Task.sleep(for: patience)
                self.giveUp(id)
            }
        }
    }

    func release() {
        if waiters.isEmpty {
            inUse -= 1
        } else {
            waiters.removeFirst().continuation.resume(returning: true)  // the slot passes on
        }
    }

    var busy: Int { inUse }

    private func giveUp(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(returning: false)
    }
}
