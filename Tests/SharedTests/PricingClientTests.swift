// How PricingClient cuts a large request into batches sent at once (PricingClient.batches): every
// offer once, in order, at most a thousand a batch, and past a thousand two batches at least,
// evenly. That the answers come back whole and in order is tested against the real pricing service
// (PricingRulesTests.aBatchOfThousandsIsPricedAndOffersWithoutARateAreMarked: 2,002 offers).

@testable import Shared
import Testing

@Suite struct PricingClientTests {
    @Test(arguments: [
        (0, []), (1, [1]), (999, [999]), (1_000, [1_000]), (1_001, [501, 500]), (2_000, [1_000, 1_000]), (2_002, [668, 668, 666]),
        (3_001, [751, 751, 751, 748]),
    ] as [(Int, [Int])])
    func batchesHoldEveryOfferOnceInOrderEvenly(count: Int, sizes: [Int]) {
        let batches = PricingClient.batches(of: count)
        #expect(batches.flatMap { Array($0) } == Array(0..<count), "contiguous, in order, each offer once")
        #expect(batches.map(\.count) == sizes)
    }
}
