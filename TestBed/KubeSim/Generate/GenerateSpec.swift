import Foundation

/// What `kube-sim --generate SPEC` builds: comma-separated `key=value` settings, e.g.
///
///     pods=10000,namespaces=50,started=30%:300d-365d,60%:0d-200d,10%:200d-300d,podsize=10k,seed=1
///
/// A part without `=` continues the previous key's list (`started`, `mix`). Keys:
/// - `pods=N` total pods (default 1000); `namespaces=N` (10); `nodes=N` simulated nodes (3; a
///   DaemonSet has one pod per node)
/// - `started=P%:A-B,…` how long ago each pod's first container started: P % of pods uniformly
///   between A and B ago; durations in `d`, `h`, `m`, `s` (default `100%:0d-30d`); the
///   percentages must add up to 100
/// - `mix=kind:weight,…` share of pods by owner: `deployment`, `statefulset`, `daemonset`,
///   `replicationcontroller` (`rc`), `replicaset` (bare), `job`, `cronjob` (Jobs owned by a
///   CronJob), `pod` (bare pods), `custom` (owned by an argoproj.io/v1alpha1 Rollout)
/// - `replicas=A-B` pods per replicated workload (1-8); `containers=A-B` per pod (1-3)
/// - `podsize=N[k]` target average size of a pod's JSON in bytes (10k; `40k` for the heavy shape)
/// - `pdb=P%` workloads with a PodDisruptionBudget (20%); `paused=P%` paused Deployments (0%);
///   `ondelete=P%` StatefulSets/DaemonSets with the OnDelete strategy (10%)
/// - `noautomount=P%` workloads with automountServiceAccountToken false (3%); `legacytoken=P%`
///   with a legacy token Secret mounted instead (1%); `customtoken=P%` with an extra projected
///   token for another audience, expirationSeconds 7200 (2%); `pending=P%` Pending pods (0%)
/// - `history=N` the Deployments' `revisionHistoryLimit` (10): how many old ReplicaSets each keeps
///   (0: a rollout's old ReplicaSet is deleted once scaled down, so rollouts do not grow the cluster)
/// - `seed=N` (1): the same spec and seed give the same objects.
public struct GenerateSpec: Sendable, Equatable {
    public struct AgeBand: Sendable, Equatable {
        public var fraction: Double
        /// Seconds ago, inclusive.
        public var minimumAge: Int64
        public var maximumAge: Int64
    }

    public enum OwnerKind: String, Sendable, CaseIterable {
        case deployment, statefulset, daemonset, replicationcontroller, replicaset, job, cronjob, pod, custom
    }

    public var pods = 1000
    public var namespaces = 10
    public var nodes = 3
    public var started: [AgeBand] = [AgeBand(fraction: 1, minimumAge: 0, maximumAge: 30 * 86_400)]
    public var mix: [(kind: OwnerKind, weight: Double)] = [
        (.deployment, 60), (.statefulset, 10), (.daemonset, 5), (.replicationcontroller, 4), (.replicaset, 4),
        (.job, 4), (.cronjob, 4), (.pod, 4), (.custom, 5),
    ]
    public var replicas = 1...8
    public var containers = 1...3
    public var podSize = 10_000
    public var pdbFraction = 0.2
    public var pausedFraction = 0.0
    public var onDeleteFraction = 0.1
    public var noAutomountFraction = 0.03
    public var legacyTokenFraction = 0.01
    public var customTokenFraction = 0.02
    public var pendingFraction = 0.0
    public var revisionHistoryLimit = 10
    public var seed: UInt64 = 1

    public init() {}

    public static func == (lhs: GenerateSpec, rhs: GenerateSpec) -> Bool {
        lhs.description == rhs.description
    }

    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public static func parse(_ text: String) throws(ParseError) -> GenerateSpec {
        var spec = GenerateSpec()
        var values: [(key: String, items: [String])] = []
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            if let equals = part.firstIndex(of: "=") {
                values.append((String(part[..<equals]).lowercased(), [String(part[part.index(after: equals)...])]))
            } else if !values.isEmpty {
                values[values.count - 1].items.append(part)
            } else {
                throw ParseError(description: "generate spec: \"\(part)\" is not key=value")
            }
        }
        for (key, items) in values {
            let single = items.joined(separator: ",")
            func listOnly() throws(ParseError) {
                if items.count > 1 { throw ParseError(description: "generate spec: \(key) takes one value, got \"\(single)\"") }
            }
            switch key {
            case "pods": try listOnly(); spec.pods = try count(single, key)
            case "namespaces": try listOnly(); spec.namespaces = max(1, try count(single, key))
            case "nodes": try listOnly(); spec.nodes = max(1, try count(single, key))
            case "seed":
                try listOnly()
                guard let seed = UInt64(single) else { throw ParseError(description: "generate spec: bad seed \"\(single)\"") }
                spec.seed = seed
            case "replicas": try listOnly(); spec.replicas = try range(single, key)
            case "containers": try listOnly(); spec.containers = try range(single, key)
            case "podsize": try listOnly(); spec.podSize = try size(single)
            case "pdb": try listOnly(); spec.pdbFraction = try percent(single, key)
            case "paused": try listOnly(); spec.pausedFraction = try percent(single, key)
            case "ondelete": try listOnly(); spec.onDeleteFraction = try percent(single, key)
            case "noautomount": try listOnly(); spec.noAutomountFraction = try percent(single, key)
            case "legacytoken": try listOnly(); spec.legacyTokenFraction = try percent(single, key)
            case "customtoken": try listOnly(); spec.customTokenFraction = try percent(single, key)
            case "pending": try listOnly(); spec.pendingFraction = try percent(single, key)
            case "history": try listOnly(); spec.revisionHistoryLimit = try count(single, key)
            case "started": spec.started = try ageBands(items)
            case "mix": spec.mix = try mix(items)
            default:
                throw ParseError(description: "generate spec: unknown key \"\(key)\" (known: pods, namespaces, nodes, started, mix, replicas, containers, podsize, pdb, paused, ondelete, noautomount, legacytoken, customtoken, pending, seed)")
            }
        }
        return spec
    }

    private static func count(_ text: String, _ key: String) throws(ParseError) -> Int {
        guard let value = Int(text), value >= 0 else { throw ParseError(description: "generate spec: \(key) must be a count, got \"\(text)\"") }
        return value
    }

    private static func range(_ text: String, _ key: String) throws(ParseError) -> ClosedRange<Int> {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let low = Int(parts[0]), let high = Int(parts.count == 2 ? parts[1] : parts[0]), parts.count <= 2,
            low >= 1, low <= high
        else { throw ParseError(description: "generate spec: \(key) must be N or A-B with 1 <= A <= B, got \"\(text)\"") }
        return low...high
    }

    private static func percent(_ text: String, _ key: String) throws(ParseError) -> Double {
        guard let value = fraction(text) else {
            throw ParseError(description: "generate spec: \(key) must be a percentage like 20%, got \"\(text)\"")
        }
        return value
    }

    /// "20%" → 0.2.
    private static func fraction(_ text: String) -> Double? {
        guard text.hasSuffix("%"), let value = Double(text.dropLast()), (0...100).contains(value) else { return nil }
        return value / 100
    }

    private static func size(_ text: String) throws(ParseError) -> Int {
        let lower = text.lowercased()
        let multiplier = lower.hasSuffix("k") ? 1000 : 1
        guard let value = Int(lower.hasSuffix("k") ? String(lower.dropLast()) : lower), value > 0 else {
            throw ParseError(description: "generate spec: podsize must be bytes or N k, got \"\(text)\"")
        }
        return value * multiplier
    }

    /// "30d", "12h", "90m", "45s" → seconds.
    static func duration(_ text: String) -> Int64? {
        guard let unit = text.last, let value = Int64(text.dropLast()), value >= 0 else { return nil }
        switch unit {
        case "d": return value * 86_400
        case "h": return value * 3600
        case "m": return value * 60
        case "s": return value
        default: return nil
        }
    }

    private static func ageBands(_ items: [String]) throws(ParseError) -> [AgeBand] {
        var bands: [AgeBand] = []
        for item in items {
            let parts = item.split(separator: ":")
            let bounds = parts.count == 2 ? parts[1].split(separator: "-") : []
            guard parts.count == 2, bounds.count == 2, let fraction = fraction(String(parts[0])),
                let low = duration(String(bounds[0])), let high = duration(String(bounds[1])), low <= high
            else {
                throw ParseError(description: "generate spec: started entries look like 30%:300d-365d, got \"\(item)\"")
            }
            bands.append(AgeBand(fraction: fraction, minimumAge: low, maximumAge: high))
        }
        let total = bands.reduce(0) { $0 + $1.fraction }
        guard abs(total - 1) < 0.0001 else {
            throw ParseError(description: "generate spec: started percentages add up to \(Int((total * 100).rounded()))%, not 100%")
        }
        return bands
    }

    private static func mix(_ items: [String]) throws(ParseError) -> [(kind: OwnerKind, weight: Double)] {
        var result: [(kind: OwnerKind, weight: Double)] = []
        for item in items {
            let parts = item.split(separator: ":")
            let name = parts.first.map { $0 == "rc" ? "replicationcontroller" : String($0) } ?? ""
            guard parts.count == 2, let kind = OwnerKind(rawValue: name), let weight = Double(parts[1]), weight >= 0 else {
                throw ParseError(description: "generate spec: mix entries look like deployment:60 (kinds: \(OwnerKind.allCases.map(\.rawValue).joined(separator: ", "))), got \"\(item)\"")
            }
            result.append((kind, weight))
        }
        guard result.contains(where: { $0.weight > 0 }) else { throw ParseError(description: "generate spec: mix has no positive weight") }
        return result
    }
}

extension GenerateSpec: CustomStringConvertible {
    /// The canonical spec text (parses back to the same spec).
    public var description: String {
        func pct(_ value: Double) -> String {
            let scaled = value * 100
            return scaled.rounded() == scaled ? "\(Int(scaled))%" : "\(scaled)%"
        }
        func days(_ seconds: Int64) -> String { seconds % 86_400 == 0 ? "\(seconds / 86_400)d" : "\(seconds)s" }
        let bands = started.map { "\(pct($0.fraction)):\(days($0.minimumAge))-\(days($0.maximumAge))" }.joined(separator: ",")
        let kinds = mix.map { "\($0.kind.rawValue):\($0.weight.rounded() == $0.weight ? String(Int($0.weight)) : String($0.weight))" }
            .joined(separator: ",")
        return "pods=\(pods),namespaces=\(namespaces),nodes=\(nodes),started=\(bands),mix=\(kinds),"
            + "replicas=\(replicas.lowerBound)-\(replicas.upperBound),containers=\(containers.lowerBound)-\(containers.upperBound),"
            + "podsize=\(podSize),pdb=\(pct(pdbFraction)),paused=\(pct(pausedFraction)),ondelete=\(pct(onDeleteFraction)),"
            + "noautomount=\(pct(noAutomountFraction)),legacytoken=\(pct(legacyTokenFraction)),"
            + "customtoken=\(pct(customTokenFraction)),pending=\(pct(pendingFraction)),"
            + "history=\(revisionHistoryLimit),seed=\(seed)"
    }
}
