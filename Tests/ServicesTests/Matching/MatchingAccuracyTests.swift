// Matching's decisions on the simulator's labelled data, without a database: the scorer and
// planner alone. (scripts/bench/matching.sh measures the running service the same way.)

@testable import Matching
@testable import Shared
@testable import SupplierSim
import NIOPosix
import Testing

@Suite struct MatchingAccuracyTests {
    struct Outcome: Sendable {
        var accuracy: MappingAccuracy
        var reviewShare: Double
    }

    static func run(seed: String) -> Outcome {
        let market = SimulatedMarket(world: .generate(seed: seed))
        var index = MasterIndex()
        var nextId: Int64 = 1
        var assigned: [String: Int64] = [:]
        var truth: [String: Int] = [:]
        var reviews = 0
        for supplier in SimulatedSupplier.all.map(\.code).sorted() {
            let entries = market.catalogs[supplier]!.entries
            let records = entries.map { (code: $0.hotel.code, profile: HotelProfile($0.hotel)) }
            for entry in entries { truth["\(supplier)|\(entry.hotel.code)"] = entry.real.id }
            let decisions = MappingPlanner.plan(supplier: supplier, records: records, index: index)
            for (decision, record) in zip(decisions, records) {
                let key = "\(supplier)|\(decision.code)"
                switch decision.kind {
                case .mapped(let master):
                    assigned[key] = master
                    index.attach(supplier, to: master)
                case .review: reviews += 1
                case .newMaster:
                    index.add(MasterEntry(id: nextId, profile: record.profile, suppliers: [supplier]))
                    assigned[key] = nextId
                    nextId += 1
                }
            }
        }
        let accuracy = MappingAccuracy(assigned: assigned, truth: truth)
        return Outcome(accuracy: accuracy, reviewShare: Double(reviews) / Double(truth.count))
    }

    @Test(arguments: ["hotel-platform", "holdout-1"]) func precisionAndRecallOnTheSimulatorsGroundTruth(_ seed: String) async throws {
        // Seconds of CPU in a debug build: on a pool thread, not one of the two the other tests await on.
        let outcome = try await NIOThreadPool.singleton.runIfActive { Self.run(seed: seed) }
        print("matching accuracy, seed \(seed): precision \(outcome.accuracy.precision), recall \(outcome.accuracy.recall), review share \(outcome.reviewShare), pairs \(outcome.accuracy.correctPairs)/\(outcome.accuracy.predictedPairs) of \(outcome.accuracy.truePairs)")
        #expect(outcome.accuracy.precision >= 0.99)
        #expect(outcome.accuracy.recall >= 0.97)
        #expect(outcome.reviewShare < 0.05)
    }
}
