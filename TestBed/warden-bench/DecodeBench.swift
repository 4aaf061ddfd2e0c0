import APIClient
import KubeModel

/// Decode throughput, MB of pod JSON per CPU-second of one thread, for each decoder, on list
/// pages and on watch lines.
enum DecodeBench {
    static func run(client: KubeClient, pages: Int) async throws -> [String: Any] {
        let sample = try await SamplePages.fetch(client: client, pages: pages)
        let lines = try sample.watchLines()
        let lineBytes = lines.reduce(0) { $0 + $1.count }
        var figures: [String: Any] = [
            "command": "decode", "pages": sample.pages.count, "page_bytes": sample.bytes, "pods": sample.itemCount,
            "bytes_per_pod": sample.itemCount > 0 ? sample.bytes / sample.itemCount : 0,
        ]
        for (name, decoder) in [("foundation", FoundationObjectDecoder() as any ObjectDecoder), ("fast", FastObjectDecoder())] {
            // Best of three passes: the machine is shared, the minimum is the least disturbed.
            let rounds = name == "fast" ? 3 : 1
            var best = Double.infinity
            for _ in 0..<rounds {
                let cpu0 = Measure.threadCPUSeconds()
                for page in sample.pages { _ = try KubeClient.decodeListPage(Pod.self, from: page, decoder: decoder) }
                best = min(best, Measure.threadCPUSeconds() - cpu0)
            }
            figures["list_mb_per_core_s_\(name)"] = Double(sample.bytes) / 1e6 / best
            best = .infinity
            for _ in 0..<rounds {
                let cpu0 = Measure.threadCPUSeconds()
                for line in lines { _ = try KubeClient.decodeWatchLine(Pod.self, line, decoder: decoder) }
                best = min(best, Measure.threadCPUSeconds() - cpu0)
            }
            figures["watch_mb_per_core_s_\(name)"] = Double(lineBytes) / 1e6 / best
        }
        return figures
    }
}
