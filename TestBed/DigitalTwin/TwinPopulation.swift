import KubeModel
import WatchCache

/// The twin's cluster at its start: workloads of every kind with replicas, owners who redeploy
/// weekly, monthly, quarterly or never, 10 % old clients, maintenance windows in several time
/// zones (on the Namespaces). Pods of workloads nobody redeploys were all started by the last
/// cluster upgrade: the herd.
enum TwinPopulation {
    static let day: Int64 = 86_400
    /// The windows, one per group of Namespaces: three hours a night, local time, in four zones
    /// (their DST changes fall inside the run). With one restart at a time, a herd of a few
    /// thousand cannot be restarted in the 30 days of restart-before; within max-lead it can.
    static let windows: [String?] = [
        "01:00-04:00 Europe/Berlin", "01:00-04:00 America/New_York", "01:00-04:00 Asia/Tokyo", "01:00-04:00 Australia/Sydney",
    ]
    /// The refresh lag of a 3607-s token: the file the container read may be this old.
    static let refreshLag: Int64 = 2_896

    static func namespaces(_ options: TwinOptions) -> [Namespace] {
        (0..<options.namespaces).map { i in
            let window = windows[i % windows.count]
            return Namespace(metadata: ObjectMeta(name: "ns-\(i)", uid: "uid-ns-\(i)",
                                                  annotations: window.map { ["token-warden.dev/maintenance-window": $0] }))
        }
    }

    static func window(ofNamespace i: Int) -> String? { windows[i % windows.count] }

    static func make(_ options: TwinOptions, start: Int64, rng: inout SplitMix64) -> [TwinWorkload] {
        (0..<options.workloads).map { index in
            let kind: TwinWorkload.Kind = pick(&rng, [(.deployment, 55), (.statefulSet, 15), (.daemonSet, 10), (.replicationController, 12), (.barePod, 8)])
            let replicas: Int = switch kind {
                case .barePod: 1
                case .daemonSet: 3
                default: pick(&rng, [(1, 30), (2, 30), (3, 25), (5, 15)])
            }
            let every: Int64? = pick(&rng, [(7 * day, 30), (30 * day, 15), (90 * day, 10), (nil, 45)])
            let ns = Int.random(in: 0..<options.namespaces, using: &rng)
            var w = TwinWorkload(index: index, kind: kind, namespace: "ns-\(ns)", name: String(format: "w%05d", index), replicas: replicas,
                                 window: window(ofNamespace: ns), oldClient: Double.random(in: 0..<1, using: &rng) < options.oldClientShare,
                                 redeployEvery: every)
            // The last time every pod was started: a redeploy within its period, else the upgrade herd.
            let last = every.map { start - Int64.random(in: 0..<$0, using: &rng) }
                ?? start - Int64(options.herdAgeDays) * day + Int64.random(in: 0..<(4 * 3600), using: &rng)
            for _ in 0..<replicas { addPod(&w, at: last + Int64.random(in: 0..<120, using: &rng), readyAfter: 30, rng: &rng) }
            return w
        }
    }

    /// A new pod started at `time`, created up to two minutes earlier; its token was requested in
    /// between. (The refresh lag the estimate allows for concerns a container restarted inside a
    /// long-running pod, which reads the file the kubelet last wrote; a new pod gets a new token.)
    static func addPod(_ w: inout TwinWorkload, at time: Int64, readyAfter: Int64, rng: inout SplitMix64) {
        let created = time - Int64.random(in: 5...120, using: &rng)
        w.pods.append(TwinWorkload.Pod(serial: w.nextSerial, created: created, start: time,
                                       tokenIssued: Int64.random(in: created...time, using: &rng), readyAt: time + readyAfter))
        w.nextSerial += 1
        w.changed = true
    }

    static func pick<T>(_ rng: inout SplitMix64, _ weighted: [(T, Int)]) -> T {
        var roll = Int.random(in: 0..<weighted.reduce(0) { $0 + $1.1 }, using: &rng)
        for (value, weight) in weighted {
            if roll < weight { return value }
            roll -= weight
        }
        return weighted[weighted.count - 1].0
    }
}
