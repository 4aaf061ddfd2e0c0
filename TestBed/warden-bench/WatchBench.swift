import APIClient
import Assess
import Foundation
import KubeModel
import Plan
import WatchCache

/// MODIFIED events through the controller's per-event path: line splitting of a chunked stream →
/// decode → cache → assess the pod's workload → plan, on a cache already synced with every pod.
/// Latency runs from the moment the chunk holding the event is in memory to the decision.
enum WatchBench {
    static func run(client: KubeClient, decoder: any ObjectDecoder, decoderName: String, events: Int) async throws -> [String: Any] {
        let records = PodRecordBuilder()
        let (items, rv) = try await client.listAll(Pod.self, transform: records.record)
        let store = ObjectStore<PodRecord>()
        store.replace(items, resourceVersion: rv)
        // The controller finds a pod's namespace in its namespace cache by key; the assessment of
        // the event's workload needs only that one.
        var namespaces: [String: Namespace] = [:]
        for namespace in try await client.listAll(Namespace.self).items { namespaces[namespace.metadata.name] = namespace }
        let sample = try await SamplePages.fetch(client: client, pages: 4)
        let lines = try sample.watchLines()
        guard !lines.isEmpty else { return ["command": "watch", "events": 0] }

        // The stream as the transport delivers it: newline-delimited, cut into 64 KiB chunks.
        var stream: [UInt8] = []
        var count = 0
        while count < events {
            stream.append(contentsOf: lines[count % lines.count])
            stream.append(0x0A)
            count += 1
        }
        let chunkSize = 64 << 10
        let now = Timestamp(seconds: Int64(Date().timeIntervalSince1970))
        let assessor = Assessor()
        let planner = Planner()
        var latencies: [Double] = []
        latencies.reserveCapacity(count)
        var splitter = LineSplitter()
        var decisions = 0
        let cpu0 = Measure.threadCPUSeconds()
        let wall0 = Measure.wallSeconds()
        var offset = 0
        while offset < stream.count {
            let end = min(offset + chunkSize, stream.count)
            let chunk = Array(stream[offset..<end])
            let arrived = Measure.wallSeconds()
            for line in try splitter.feed(chunk) {
                let event = try KubeClient.decodeWatchLine(Pod.self, line, decoder: decoder)
                store.apply(event, transform: records.record)
                guard case .modified(let pod) = event, let record = store.get(namespace: pod.metadata.namespace, name: pod.metadata.name) else { continue }
                let namespace = namespaces[record.namespace].map { [$0] } ?? []
                let assessment = assessor.assess(ClusterSnapshot(podRecords: [record], namespaces: namespace), now: now)
                decisions += planner.plan(assessment, now: now).decisions.count
                latencies.append(Measure.wallSeconds() - arrived)
            }
            offset = end
        }
        let cpu = Measure.threadCPUSeconds() - cpu0
        let wall = Measure.wallSeconds() - wall0
        latencies.sort()
        return [
            "command": "watch", "decoder": decoderName, "events": latencies.count, "cached_pods": store.count,
            "decisions": decisions, "events_per_core_s": Double(latencies.count) / cpu, "wall_s": wall,
            "latency_p50_ms": Measure.percentile(latencies, 0.5) * 1000,
            "latency_p99_ms": Measure.percentile(latencies, 0.99) * 1000,
        ]
    }
}
