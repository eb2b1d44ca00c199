// Runs mapping jobs one at a time: pulls the content feeds through supplier-adapter, stores what
// is new or changed, decides every record that needs it (MappingPlanner) supplier by supplier in
// code order, and writes the decisions, reporting progress as it goes.

import FoundationEssentials
import Logging
import NIOPosix
import ServiceLifecycle
import Shared

struct MappingJobs: Service {
    let jobs: MappingJobRepository
    let catalog: CatalogRepository
    let source: SupplierContentSource
    let wake: WakeSignal
    let cache: CatalogCache
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                if let job = try await jobs.claim() {
                    await execute(job)
                    continue
                }
            } catch {
                logger.warning("mapping jobs not claimed", metadata: ["error": .string("\(error)")])
            }
            try? await cancelWhenGracefulShutdown { await wake.wait(timeout: .seconds(2)) }
        }
    }

    func execute(_ job: MappingJobStatus) async {
        var job = job
        do {
            let suppliers: [String]
            if let one = job.supplier { suppliers = [one] } else { suppliers = try await source.suppliers() }
            var work: [(supplier: String, records: [SupplierHotel])] = []
            for supplier in suppliers {
                let hotels = try await source.hotels(supplier)
                let changed = try await catalog.store(hotels, supplier: supplier)
                work.append((supplier, try await catalog.recordsToMap(supplier: supplier, changed: changed)))
            }
            job.total = work.reduce(0) { $0 + $1.records.count }
            try await jobs.progress(job)
            var index = try await catalog.masterIndex()
            for (supplier, records) in work where !records.isEmpty {
                let profiles = records.map { (code: $0.code, profile: HotelProfile($0)) }
                // Seconds of CPU for a big supplier: off the event loops, which keep serving lookups.
                let current = index
                let decisions = try await NIOThreadPool.singleton.runIfActive { MappingPlanner.plan(supplier: supplier, records: profiles, index: current) }
                let created = try await catalog.apply(decisions, records: Dictionary(uniqueKeysWithValues: records.map { ($0.code, $0) }), supplier: supplier)
                let profileByCode = Dictionary(uniqueKeysWithValues: profiles.map { ($0.code, $0.profile) })
                for decision in decisions {
                    switch decision.kind {
                    case .mapped(let master):
                        index.attach(supplier, to: master)
                        job.mapped += 1
                    case .review: job.review += 1
                    case .newMaster:
                        index.add(MasterEntry(id: created[decision.code]!, profile: profileByCode[decision.code]!, suppliers: [supplier]))
                        job.created += 1
                    }
                }
                job.processed += records.count
                try await jobs.progress(job)
            }
            // Visible to lookups before the job reports done.
            do { try await cache.reload() } catch { logger.warning("catalog not reloaded after mapping", metadata: ["error": .string("\(error)")]) }
            try await jobs.finish(job.id, error: nil)
            logger.info("mapping job done", metadata: [
                "job": .string(job.id.uuidString.lowercased()), "processed": .string(String(job.processed)), "mapped": .string(String(job.mapped)),
                "review": .string(String(job.review)), "created": .string(String(job.created)),
            ])
        } catch {
            logger.error("mapping job failed", metadata: ["job": .string(job.id.uuidString.lowercased()), "error": .string("\(error)")])
            try? await jobs.finish(job.id, error: "\(error)")
        }
    }
}
