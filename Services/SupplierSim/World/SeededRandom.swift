// Deterministic randomness: the same seed gives the same world on every machine and every run
// (Swift's own hashing is seeded per process, so it is never used for content).

/// SplitMix64: small, fast, and good enough to scatter hotels.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }
    init(_ parts: String...) { state = StableHash.of(parts) }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }

    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
}

enum StableHash {
    /// FNV-1a over the UTF-8 bytes of `parts` joined by U+001F (without joining them: a rate costs a
    /// dozen of these), then mixed: stable across processes and platforms.
    static func of(_ parts: [String]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func add(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        for (index, part) in parts.enumerated() {
            if index > 0 { add(0x1F) }
            for byte in part.utf8 { add(byte) }
        }
        var mixer = SeededRandom(seed: hash)
        return mixer.next()
    }

    /// A number in 0..<1 fixed by `parts`.
    static func unit(_ parts: String...) -> Double {
        Double(of(parts) >> 11) / Double(1 << 53)
    }
}
