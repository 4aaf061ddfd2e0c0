import Foundation

/// Generates a whole cluster population from a `GenerateSpec`: Namespaces, workloads (with their
/// ReplicaSets), PodDisruptionBudgets and Running pods, deterministic from the seed, ready for
/// `ResourceStore.load`. Objects come in dependency order (namespaces, then each workload before
/// its pods).
public enum ClusterGenerator {
    /// Everything at once (convenient for small populations and tests).
    public static func objects(spec: GenerateSpec, now: Date) -> [JSONValue] {
        var all: [JSONValue] = []
        generate(spec: spec, now: now, batchSize: .max) { all.append(contentsOf: $0) }
        return all
    }

    /// Streams the population in batches of about `batchSize` objects (keeps peak memory low for
    /// 150,000 pods: load each batch, then drop it).
    public static func generate(spec: GenerateSpec, now: Date, batchSize: Int = 5000,
                                emit: ([JSONValue]) throws -> Void) rethrows {
        var state = GeneratorState(spec: spec, now: Int64(now.timeIntervalSince1970))
        var batch: [JSONValue] = []
        batch.append(contentsOf: state.namespaces())
        while state.podsLeft > 0 {
            batch.append(contentsOf: state.nextWorkload())
            if batch.count >= batchSize {
                try emit(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try emit(batch) }
    }

    static let namespaceWords = [
        "shop", "payments", "data", "platform", "identity", "search", "ml", "ops", "web", "mobile", "billing",
        "logistics", "media", "analytics", "security", "edge",
    ]
    static let environments = ["prod", "staging", "dev", "qa"]
    static let appWords = [
        "checkout", "payments", "catalog", "search", "orders", "billing", "auth", "gateway", "inventory", "shipping",
        "notifications", "reporting", "analytics", "ledger", "profile", "pricing", "recommendation", "media",
        "session", "audit",
    ]
    static let roleWords = ["api", "worker", "web", "consumer", "scheduler", "cache", "db", "sync", "exporter", "proxy"]

    static func namespaceName(_ index: Int) -> String {
        let word = namespaceWords[index % namespaceWords.count]
        let environment = environments[(index / namespaceWords.count) % environments.count]
        let round = index / (namespaceWords.count * environments.count)
        return round == 0 ? "\(word)-\(environment)" : "\(word)-\(environment)-\(round + 1)"
    }
}

/// The generator's running state: the random stream, names in use, pods still to make.
struct GeneratorState {
    let spec: GenerateSpec
    let now: Int64
    var random: SeededRandom
    var podsLeft: Int
    var podNumber = 0
    var usedNames: [String: Set<String>] = [:]
    let namespaceNames: [String]

    init(spec: GenerateSpec, now: Int64) {
        self.spec = spec
        self.now = now
        random = SeededRandom(seed: spec.seed)
        podsLeft = spec.pods
        namespaceNames = (0..<spec.namespaces).map(ClusterGenerator.namespaceName)
    }

    mutating func namespaces() -> [JSONValue] {
        namespaceNames.map { name in
            let created = RFC3339.format(unixSeconds: now - 400 * 86_400 - Int64(random.int(0...86_400)))
            return [
                "kind": "Namespace", "apiVersion": "v1",
                "metadata": ["name": .string(name), "uid": .string(random.uuid()), "creationTimestamp": .string(created),
                             "labels": ["kubernetes.io/metadata.name": .string(name)]],
                "spec": ["finalizers": ["kubernetes"]], "status": ["phase": "Active"],
            ]
        }
    }

    /// A start time from the `started` distribution (Unix seconds).
    mutating func sampleStart() -> Int64 {
        var pick = random.unit()
        var band = spec.started[spec.started.count - 1]
        for candidate in spec.started {
            if pick < candidate.fraction {
                band = candidate
                break
            }
            pick -= candidate.fraction
        }
        let age = band.minimumAge + Int64(random.unit() * Double(band.maximumAge - band.minimumAge + 1))
        return now - min(age, band.maximumAge)
    }

    mutating func uniqueName(in namespace: String, base: String) -> String {
        var name = base
        var counter = 2
        while usedNames[namespace, default: []].contains(name) {
            name = "\(base)-\(counter)"
            counter += 1
        }
        usedNames[namespace, default: []].insert(name)
        return name
    }

    /// Mean pods per workload of a kind, to turn pod shares into workload choice weights.
    func meanPods(_ kind: GenerateSpec.OwnerKind) -> Double {
        switch kind {
        case .daemonset: return Double(spec.nodes)
        case .job, .cronjob, .pod: return 1
        default: return Double(spec.replicas.lowerBound + spec.replicas.upperBound) / 2
        }
    }

    mutating func chooseKind() -> GenerateSpec.OwnerKind {
        let weights = spec.mix.map { entry -> Double in
            if entry.kind == .daemonset && podsLeft < spec.nodes && spec.mix.contains(where: { $0.kind != .daemonset && $0.weight > 0 }) {
                return 0
            }
            return entry.weight / meanPods(entry.kind)
        }
        let total = weights.reduce(0, +)
        var pick = random.unit() * total
        for (index, weight) in weights.enumerated() {
            if pick < weight { return spec.mix[index].kind }
            pick -= weight
        }
        return spec.mix.last { $0.weight > 0 }?.kind ?? .pod
    }

    mutating func tokenMode() -> (PodTemplateBuilder.TokenMode, Bool) {
        let roll = random.unit()
        let mode: PodTemplateBuilder.TokenMode =
            roll < spec.noAutomountFraction ? .none
            : roll < spec.noAutomountFraction + spec.legacyTokenFraction ? .legacySecret : .projected
        return (mode, random.chance(spec.customTokenFraction))
    }

    /// A template for a workload, grown to this workload's target pod size.
    mutating func makeTemplate(appName: String, kind: String, restartPolicy: String = "Always") -> PodFactory.PreparedTemplate {
        let (mode, customToken) = tokenMode()
        var builder = PodTemplateBuilder(random: random)
        var template = builder.template(appName: appName, kind: kind, containers: random.int(spec.containers),
                                        tokenMode: mode, customToken: customToken, restartPolicy: restartPolicy)
        // Estimated pod size: the spec appears twice (spec + managedFields), plus metadata/status.
        let containers = template.spec["containers"]?.arrayValue?.count ?? 1
        let estimate = 2 * JSONMeasure.size(template.spec) + 2600 + 450 * containers
        let target = Int(Double(spec.podSize) * (0.75 + 0.5 * random.unit()))
        builder.pad(&template, bytes: target - estimate)
        random = builder.random
        return PodFactory.prepare(template, random: &random)
    }
}
