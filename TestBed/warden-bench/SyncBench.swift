import APIClient
import KubeModel
import Foundation
import WatchCache

/// Initial sync → synced cache through the real reflector and store, as the controller starts:
/// pods decoded page by page (paged LIST) or event by event (streaming watch) and kept as
/// compact records.
enum SyncBench {
    /// - Parameter mallocStats: print glibc's heap figures (in use vs obtained from the kernel) to
    ///   stderr once synced: what is live and what is free holes in the retained RSS.
    static func run(client: KubeClient, decoder: String, initialSync: InitialSync = .stream,
                    mallocStats: Bool = false) async throws -> [String: Any] {
        let startCPU = Measure.processCPUSeconds()
        let first = Measure.wallSeconds()
        _ = try await client.getRaw("/version")
        let firstRequest = Measure.wallSeconds() - first
        let idle = Measure.retainedRSS()

        let store = ObjectStore<PodRecord>()
        let records = PodRecordBuilder()
        let support = StreamingSyncSupport()
        let reflector = Reflector<Pod, PodRecord>(
            client: client, store: store, options: .init(pageSize: 500, initialSync: initialSync, streamingSupport: support)
        ) { records.record($0) }
        let cpu0 = Measure.processCPUSeconds()
        let wall0 = Measure.wallSeconds()
        let task = Task { await reflector.run() }
        while !store.hasSynced { try await Task.sleep(for: .milliseconds(1)) }
        let wall = Measure.wallSeconds() - wall0
        let cpu = Measure.processCPUSeconds() - cpu0
        task.cancel()
        let peak = Measure.memory().peak
        let retained = Measure.retainedRSS()
        let pods = store.count
        if mallocStats { glibcMallocStats() }
        return [
            "command": "sync", "decoder": decoder, "pods": pods, "initial_sync": initialSync.rawValue,
            "streaming_unsupported": support.reason(Pod.resource.description) ?? NSNull(),
            "first_request_ms": firstRequest * 1000, "startup_cpu_ms": (cpu0 - startCPU) * 1000,
            "sync_wall_s": wall, "sync_cpu_s": cpu,
            "idle_rss_bytes": idle, "synced_rss_bytes": retained, "peak_rss_bytes": peak,
            "retained_bytes_per_pod": pods > 0 ? Double(retained - idle) / Double(pods) : 0,
            "peak_over_steady": retained > 0 ? Double(peak) / Double(retained) : 0,
        ]
    }
}
