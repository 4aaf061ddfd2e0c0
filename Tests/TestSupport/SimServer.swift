import Foundation
import KubeSim

/// Starts simulated API servers for tests: in-process, loopback, a free port.
public enum SimServer {
    /// A started KubeSim (HTTPS unless `tls` is false) with `objects` seeded. Call `stop()` when done.
    /// `cluster`: run the simulated controllers and kubelet too. `crds`: custom resources served.
    public static func start(tls: Bool = true, bookmarkInterval: TimeInterval = 60, historyCapacity: Int = 100_000,
                             objects: [JSONValue] = [], cluster: ClusterOptions? = nil, crds: [ResourceType] = []) throws -> KubeSim {
        var options = KubeSim.Options()
        options.crds = crds
        options.cluster = cluster
        options.tls = tls
        options.bookmarkInterval = bookmarkInterval
        options.historyCapacity = historyCapacity
        let sim = try KubeSim(options: options)
        if !objects.isEmpty { try sim.load(objects) }
        try sim.start()
        return sim
    }

    /// A fresh temporary directory (removed by the caller when it wants).
    public static func temporaryDirectory(_ prefix: String = "kube-sim-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
