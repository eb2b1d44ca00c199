// Every supplier record's mapping held in memory for the reverse lookup (a supplier's hotel code to
// its master hotel): per supplier, rows sorted by code and found by binary search. Each row is ~56
// bytes; the few distinct statuses, methods and operators are kept once and referred to by number.

import FoundationEssentials

struct MappingIndex: Sendable {
    private struct Row: Sendable {
        let code: String
        let masterHotelId: Int64
        let score: Double
        let updatedAt: Date
        /// Indexes into `words`; -1: no operator decided.
        let status: Int32
        let method: Int32
        let decidedBy: Int32
    }

    private var bySupplier: [String: [Row]] = [:]
    /// Statuses, methods and operator names, each once.
    private var words: [String] = []

    init() {}

    init(_ mappings: [MappingRecord]) {
        var numbers: [String: Int32] = [:]
        func number(_ word: String) -> Int32 {
            if let known = numbers[word] { return known }
            words.append(word)
            numbers[word] = Int32(words.count - 1)
            return Int32(words.count - 1)
        }
        for mapping in mappings {
            bySupplier[mapping.supplier, default: []].append(Row(
                code: mapping.code, masterHotelId: mapping.masterHotelId, score: mapping.score, updatedAt: mapping.updatedAt,
                status: number(mapping.status), method: number(mapping.method), decidedBy: mapping.decidedBy.map(number) ?? -1))
        }
        for supplier in bySupplier.keys { bySupplier[supplier]!.sort { $0.code < $1.code } }
    }

    var count: Int { bySupplier.values.reduce(0) { $0 + $1.count } }

    func mapping(supplier: String, code: String) -> MappingRecord? {
        guard let rows = bySupplier[supplier] else { return nil }
        var low = 0, high = rows.count
        while low < high {
            let middle = (low + high) / 2
            if rows[middle].code < code { low = middle + 1 } else { high = middle }
        }
        guard low < rows.count, rows[low].code == code else { return nil }
        let row = rows[low]
        return MappingRecord(
            supplier: supplier, code: code, masterHotelId: row.masterHotelId, status: words[Int(row.status)], method: words[Int(row.method)],
            score: row.score, decidedBy: row.decidedBy < 0 ? nil : words[Int(row.decidedBy)], updatedAt: row.updatedAt)
    }
}
