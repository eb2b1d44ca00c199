// Precision and recall of a mapping against labelled data, counted over pairs of supplier records:
// a pair is "same" when both records sit on one master hotel. Records waiting for review sit on
// none, so they count against recall until an operator decides.

struct MappingAccuracy: Sendable, Equatable {
    var precision: Double
    var recall: Double
    var predictedPairs: Int
    var truePairs: Int
    var correctPairs: Int

    /// `assigned`: record -> master (absent for records in review); `truth`: record -> real hotel.
    init<Record: Hashable & Comparable>(assigned: [Record: Int64], truth: [Record: Int]) {
        func pairs<Key: Hashable>(_ groups: [Key: [Record]]) -> Set<Pair<Record>> {
            var out: Set<Pair<Record>> = []
            for members in groups.values where members.count > 1 {
                for i in members.indices { for j in members.indices where i < j { out.insert(Pair(members[i], members[j])) } }
            }
            return out
        }
        let predicted = pairs(Dictionary(grouping: assigned.keys, by: { assigned[$0]! }))
        let actual = pairs(Dictionary(grouping: truth.keys, by: { truth[$0]! }))
        let correct = predicted.intersection(actual).count
        predictedPairs = predicted.count
        truePairs = actual.count
        correctPairs = correct
        precision = predicted.isEmpty ? 1 : Double(correct) / Double(predicted.count)
        recall = actual.isEmpty ? 1 : Double(correct) / Double(actual.count)
    }
}

/// An unordered pair, kept in order.
struct Pair<T: Hashable & Comparable>: Hashable {
    let a: T
    let b: T
    init(_ x: T, _ y: T) { (a, b) = x <= y ? (x, y) : (y, x) }
}
