// How alike two names are, 0 to 1: the best of (a) word overlap where words one typo apart (a
// letter added, dropped, changed, or two swapped) count as the same, and (b) trigram overlap of the
// words joined, sorted or in order, so word order and spacing ("Wang Fu Jing" against
// "Wangfujing") do not matter.

enum NameSimilarity {
    static func score(_ a: [String], _ b: [String]) -> Double {
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        let words = softJaccard(a, b)
        let sortedJoined = jaccard(trigrams(a.sorted().joined()), trigrams(b.sorted().joined()))
        let inOrder = jaccard(trigrams(a.joined()), trigrams(b.joined()))
        return max(words, sortedJoined, inOrder)
    }

    /// Word-set overlap where a word of five letters or more matches one a typo away.
    static func softJaccard(_ a: [String], _ b: [String]) -> Double {
        let left = Array(Set(a)), right = Array(Set(b))
        var used = Set<Int>()
        var matched = 0
        for word in left {
            if let index = right.indices.first(where: { !used.contains($0) && (right[$0] == word || (word.count >= 5 && oneTypoApart(word, right[$0]))) }) {
                used.insert(index)
                matched += 1
            }
        }
        let union = left.count + right.count - matched
        return union == 0 ? 0 : Double(matched) / Double(union)
    }

    /// Equal but for one inserted, deleted or replaced letter, or two neighbours swapped.
    static func oneTypoApart(_ x: String, _ y: String) -> Bool {
        let a = Array(x), b = Array(y)
        guard abs(a.count - b.count) <= 1, a != b else { return a == b }
        var i = 0
        while i < min(a.count, b.count), a[i] == b[i] { i += 1 }
        if a.count == b.count {
            if a[(i + 1)...] == b[(i + 1)...] { return true }  // replaced
            return i + 1 < a.count && a[i] == b[i + 1] && a[i + 1] == b[i] && a[(i + 2)...] == b[(i + 2)...]  // swapped
        }
        return a.count > b.count ? a[(i + 1)...] == b[i...] : a[i...] == b[(i + 1)...]  // inserted or deleted
    }

    static func jaccard<T: Hashable>(_ a: Set<T>, _ b: Set<T>) -> Double {
        let union = a.union(b).count
        return union == 0 ? 0 : Double(a.intersection(b).count) / Double(union)
    }

    /// Trigrams of the text padded like pg_trgm ("  ab" .. "b ").
    static func trigrams(_ text: String) -> Set<String> {
        let characters = Array("  " + text + " ")
        guard characters.count >= 3 else { return [] }
        return Set((0...(characters.count - 3)).map { String(characters[$0..<($0 + 3)]) })
    }
}
