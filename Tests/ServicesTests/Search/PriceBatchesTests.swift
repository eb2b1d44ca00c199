// How a search's offers are cut into batches for pricing (SearchEngine.batches): every offer once,
// in order, at most a thousand a batch, and past a thousand two batches at least, evenly.

@testable import QueryEngine
import Testing

@Suite struct PriceBatchesTests {
    @Test(arguments: [
        (0, []), (1, [1]), (999, [999]), (1_000, [1_000]), (1_001, [501, 500]), (2_000, [1_000, 1_000]), (2_700, [900, 900, 900]),
        (3_001, [751, 751, 751, 748]),
    ] as [(Int, [Int])])
    func everyOfferOnceInOrderEvenly(count: Int, sizes: [Int]) {
        let batches = SearchEngine.batches(of: count)
        #expect(batches.flatMap { Array($0) } == Array(0..<count), "contiguous, in order, each offer once")
        #expect(batches.map(\.count) == sizes)
    }
}
