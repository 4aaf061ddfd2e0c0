import KubeModel
@testable import Assess

/// A deterministic pseudo-random source (SplitMix64): the same seed, the same run.
struct SeededRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// A small cluster that changes step by step, reporting every change as the watch caches do
/// (`ClusterChanges`): pods by group (old and new), objects by key, namespaces by name.
struct IncrementalWorld {
    var random: SeededRandom
    var now = Timestamp(seconds: 1_790_000_000)
    var namespaces: [String: Namespace] = [:]
    var deployments: [String: Deployment] = [:]
    var replicaSets: [String: ReplicaSet] = [:]
    var statefulSets: [String: StatefulSet] = [:]
    var daemonSets: [String: DaemonSet] = [:]
    var replicationControllers: [String: ReplicationController] = [:]
    var jobs: [String: Job] = [:]
    var pods: [String: Pod] = [:]
    /// Controller references pods may get, with the namespace they live in.
    var owners: [(namespace: String, ref: OwnerReference?)] = []
    /// The current ReplicaSet generation of each Deployment.
    var rolloutGeneration: [String: Int] = [:]
    var evidence: [String: TokenEvidence] = [:]
    var defaults = PolicyDefaults()
    var changes = ClusterChanges()
    private var serial = 0

    static let policyAnnotations: [[String: String]?] = [
        nil, [:], ["token-warden.dev/mode": "report"], ["token-warden.dev/restart-before": "60d"],
        ["token-warden.dev/restart-before": "soon"], ["token-warden.dev/mode": "ignore"], ["token-warden.dev/strategy": "evict"],
        ["token-warden.dev/token-lifetime": "90d"], ["token-warden.dev/restart-on": "evidence"],
    ]

    init(seed: UInt64) {
        random = SeededRandom(seed: seed)
        for ns in ["a", "b", "c"] { setNamespace(ns, annotations: random.pick(Self.policyAnnotations)) }
        for ns in ["a", "b", "c"] {
            for index in 0..<2 {
                addDeployment("\(ns)-d\(index)", ns: ns)
                let ss = "\(ns)-ss\(index)"
                setObject(StatefulSet(metadata: meta(ss, namespace: ns, kind: "StatefulSet", annotations: random.pick(Self.policyAnnotations)),
                                      spec: .init(updateStrategy: UpdateStrategy(type: random.pick(["RollingUpdate", "OnDelete"])))),
                          in: \.statefulSets)
                owners.append((ns, ownerRef("StatefulSet", ss)))
            }
            let ds = "\(ns)-ds", rc = "\(ns)-rc", job = "\(ns)-job", bare = "\(ns)-brs"
            setObject(DaemonSet(metadata: meta(ds, namespace: ns, kind: "DaemonSet")), in: \.daemonSets)
            setObject(ReplicationController(metadata: meta(rc, namespace: ns, kind: "ReplicationController")), in: \.replicationControllers)
            setObject(Job(metadata: meta(job, namespace: ns, kind: "Job", owner: ownerRef("CronJob", "\(ns)-cron"))), in: \.jobs)
            setObject(ReplicaSet(metadata: meta(bare, namespace: ns, kind: "ReplicaSet")), in: \.replicaSets)
            owners += [(ns, ownerRef("DaemonSet", ds)), (ns, ownerRef("ReplicationController", rc)), (ns, ownerRef("Job", job)),
                       (ns, ownerRef("ReplicaSet", bare)), (ns, ownerRef("Rollout", "\(ns)-argo")), (ns, nil), (ns, ownerRef("StatefulSet", "\(ns)-gone"))]
        }
        for _ in 0..<40 { addPod() }
        changes = ClusterChanges(everything: true)
    }

    var snapshot: ClusterSnapshot {
        ClusterSnapshot(
            pods: Array(pods.values), namespaces: Array(namespaces.values), replicaSets: Array(replicaSets.values),
            deployments: Array(deployments.values), statefulSets: Array(statefulSets.values), daemonSets: Array(daemonSets.values),
            replicationControllers: Array(replicationControllers.values), jobs: Array(jobs.values))
    }

    // MARK: Writes, each reported as the caches report it

    mutating func setPod(_ key: String, _ pod: Pod?) {
        if let old = pods[key] { changes.podGroups.insert(PodRecord(old).groupKey) }
        if let pod { changes.podGroups.insert(PodRecord(pod).groupKey) }
        pods[key] = pod
    }

    /// Records the change as the controller's watch caches do: a modification of the status
    /// alone, or one that keeps the object's uid and controller, apart from one that links it anew.
    mutating func setObject<Object: KubeObject>(_ object: Object, in table: WritableKeyPath<IncrementalWorld, [String: Object]>) {
        let old = self[keyPath: table].updateValue(object, forKey: object.metadata.name)
        changes.record(CachedObjectKey(object), ObjectChange(object, replacing: old))
    }

    mutating func removeObject<Object: KubeObject>(_ name: String, in table: WritableKeyPath<IncrementalWorld, [String: Object]>) {
        guard let old = self[keyPath: table].removeValue(forKey: name) else { return }
        changes.objects.insert(CachedObjectKey(old))
    }

    mutating func setNamespace(_ name: String, annotations: [String: String]?) {
        namespaces[name] = namespace(name, annotations: annotations)
        changes.namespaces.insert(name)
    }

    // MARK: Building blocks

    mutating func addDeployment(_ name: String, ns: String) {
        var d = deployment(name, annotations: random.pick(Self.policyAnnotations)).0
        d.metadata = meta(name, namespace: ns, kind: "Deployment", annotations: d.metadata.annotations)
        setObject(d, in: \.deployments)
        rolloutGeneration[name] = 0
        addReplicaSet(of: name, ns: ns)
    }

    mutating func addReplicaSet(of deploymentName: String, ns: String) {
        let rs = "\(deploymentName)-rs\(rolloutGeneration[deploymentName] ?? 0)"
        setObject(ReplicaSet(metadata: meta(rs, namespace: ns, kind: "ReplicaSet", owner: ownerRef("Deployment", deploymentName))), in: \.replicaSets)
        owners.append((ns, ownerRef("ReplicaSet", rs)))
    }

    mutating func makeRandomPod(named name: String, ns: String, owner: OwnerReference?) -> Pod {
        let started = Timestamp(seconds: now.seconds - Int64(random.below(400)) * 86_400 - Int64(random.below(86_400))).rfc3339
        var annotations: [String: String]?
        if owner == nil || random.chance(10) { annotations = random.pick(Self.policyAnnotations) }
        if random.chance(5) { annotations = ["token-warden.dev/stale-token-issued-at": Timestamp(seconds: now.seconds - 300 * 86_400).rfc3339] }
        var pod = makePod(name: name, namespace: ns, uid: "uid-pod-\(name)", phase: random.pick(["Running", "Running", "Running", "Pending"]),
                          containers: [TestContainer(startedAt: started, mounts: !random.chance(10))], owner: owner, annotations: annotations)
        if random.chance(3) { pod.metadata.annotations = (pod.metadata.annotations ?? [:]).merging(["kubernetes.io/config.mirror": "x"]) { a, _ in a } }
        return pod
    }

    /// `annotations` with, at random, what the controller records of a restart in place of what
    /// they had: none, or a restart minutes to weeks ago (for some deadline or not), recorded as
    /// complete or not.
    mutating func withRandomRestart(_ annotations: [String: String]?) -> [String: String]? {
        var recorded = annotations ?? [:]
        for key in [PolicyAnnotation.restartedAt, PolicyAnnotation.restartForDeadline, PolicyAnnotation.restartCompletedAt] { recorded[key] = nil }
        guard random.chance(70) else { return recorded }
        let restartedAt = now - random.pick([30, 300, 600, 3600, 86_400, 40 * 86_400] as [Int64])
        recorded[PolicyAnnotation.restartedAt] = restartedAt.rfc3339
        if random.chance(60) { recorded[PolicyAnnotation.restartForDeadline] = (now + Int64(random.below(400)) * 86_400).rfc3339 }
        if random.chance(50) { recorded[PolicyAnnotation.restartCompletedAt] = (restartedAt + 600).rfc3339 }
        return recorded
    }

    mutating func addPod() {
        let (ns, owner) = random.pick(owners)
        serial += 1
        let name = "\(owner?.name ?? ns)-p\(serial)"
        setPod("\(ns)/\(name)", makeRandomPod(named: name, ns: ns, owner: owner))
    }

    /// One random change of any kind the controller watches, or the clock, evidence or defaults.
    mutating func step() {
        let podKeys = pods.keys.sorted()
        switch random.below(20) {
        case 0, 1: addPod()
        case 2:
            if let key = podKeys.isEmpty ? nil : random.pick(podKeys) { setPod(key, nil) }
        case 3, 4:  // the pod restarted, or changed phase or annotations
            guard !podKeys.isEmpty, let old = pods[random.pick(podKeys)] else { return }
            let fresh = makeRandomPod(named: old.metadata.name, ns: old.metadata.namespace ?? "",
                                      owner: old.metadata.ownerReferences?.first)
            setPod("\(old.metadata.namespace ?? "")/\(old.metadata.name)", fresh)
        case 5:  // adopted by another owner of its namespace
            guard !podKeys.isEmpty, var pod = pods[random.pick(podKeys)] else { return }
            let candidates = owners.filter { $0.namespace == pod.metadata.namespace }
            pod.metadata.ownerReferences = random.pick(candidates).ref.map { [$0] }
            setPod("\(pod.metadata.namespace ?? "")/\(pod.metadata.name)", pod)
        case 6:  // a workload object's annotations (or pause) change
            switch random.below(3) {
            case 0:
                guard var d = deployments.values.sorted(by: { $0.metadata.name < $1.metadata.name }).randomElement(using: &random) else { return }
                d.metadata.annotations = random.pick(Self.policyAnnotations)
                d.spec.paused = random.chance(30)
                setObject(d, in: \.deployments)
            case 1:
                guard var s = statefulSets.values.sorted(by: { $0.metadata.name < $1.metadata.name }).randomElement(using: &random) else { return }
                s.metadata.annotations = random.pick(Self.policyAnnotations)
                setObject(s, in: \.statefulSets)
            default:
                guard var rc = replicationControllers.values.sorted(by: { $0.metadata.name < $1.metadata.name }).randomElement(using: &random) else { return }
                rc.metadata.annotations = random.pick(Self.policyAnnotations)
                setObject(rc, in: \.replicationControllers)
            }
        case 7:  // a rollout: a new ReplicaSet, pods move to it one by one
            guard let name = deployments.keys.sorted().randomElement(using: &random), let ns = deployments[name]?.metadata.namespace else { return }
            rolloutGeneration[name, default: 0] += 1
            addReplicaSet(of: name, ns: ns)
            for key in podKeys where pods[key]?.metadata.ownerReferences?.first?.name.hasPrefix("\(name)-rs") == true && random.chance(50) {
                setPod(key, nil)
                addPod()
            }
        case 8:  // a workload object goes, or comes back
            if random.chance(50), let name = deployments.keys.sorted().randomElement(using: &random) {
                removeObject(name, in: \.deployments)
            } else if let name = replicaSets.keys.sorted().randomElement(using: &random) {
                removeObject(name, in: \.replicaSets)
            }
        case 9: setNamespace(random.pick(["a", "b", "c"]), annotations: random.pick(Self.policyAnnotations))
        case 10:  // evidence arrives, or is forgotten
            guard !podKeys.isEmpty, let uid = pods[random.pick(podKeys)]?.metadata.uid else { return }
            if evidence[uid] != nil, random.chance(40) {
                evidence[uid] = nil
            } else {
                let issued = Timestamp(seconds: now.seconds - Int64(random.below(400)) * 86_400)
                evidence[uid] = TokenEvidence(source: .webhook, firstSeen: now, lastSeen: now, serviceAccount: "default", tokenIssuedAt: issued)
            }
        case 13, 14:  // a workload restarted by the controller (or not) rolls, or finishes rolling
            if random.chance(50), var d = deployments.values.sorted(by: { $0.metadata.name < $1.metadata.name }).randomElement(using: &random) {
                d.metadata.annotations = withRandomRestart(d.metadata.annotations)
                d.status?.updatedReplicas = random.chance(50) ? 0 : d.spec.replicas
                setObject(d, in: \.deployments)
            } else if var s = statefulSets.values.sorted(by: { $0.metadata.name < $1.metadata.name }).randomElement(using: &random) {
                s.metadata.annotations = withRandomRestart(s.metadata.annotations)
                setObject(s, in: \.statefulSets)
            }
        case 15:  // a ReplicaSet's status alone changes (its pods' readiness), or its annotations too, or it is orphaned or adopted
            guard var rs = replicaSets.values.sorted(by: { $0.metadata.name < $1.metadata.name }).randomElement(using: &random) else { return }
            if random.chance(70) {
                rs.status = ReplicaStatus(replicas: random.below(4), readyReplicas: random.below(4), availableReplicas: random.below(4))
                if random.chance(50) { rs.metadata.annotations = random.pick(Self.policyAnnotations) }
            } else if rs.metadata.controllerOwner != nil {
                rs.metadata.ownerReferences = nil
            } else if let d = deployments.values.filter({ $0.metadata.namespace == rs.metadata.namespace }).map(\.metadata.name).sorted()
                .randomElement(using: &random) {
                rs.metadata.ownerReferences = [ownerRef("Deployment", d)]
            }
            setObject(rs, in: \.replicaSets)
        case 18:  // a workload's controller reports progress: its status alone changes
            if random.chance(60), var d = deployments.values.sorted(by: { $0.metadata.name < $1.metadata.name }).randomElement(using: &random) {
                let replicas = d.spec.replicas ?? 1
                d.status = Deployment.Status(replicas: replicas + random.below(2), updatedReplicas: random.below(replicas + 1),
                                             availableReplicas: random.below(replicas + 1))
                setObject(d, in: \.deployments)
            } else if var s = statefulSets.values.sorted(by: { $0.metadata.name < $1.metadata.name }).randomElement(using: &random) {
                s.status = StatefulSet.Status(readyReplicas: random.below(3))
                setObject(s, in: \.statefulSets)
            }
        case 16, 17:  // a readiness probe fails or recovers: only the pod's Ready condition changes
            guard !podKeys.isEmpty, let key = Optional(random.pick(podKeys)), var pod = pods[key] else { return }
            let ready = pod.status?.isReady ?? false
            pod.status?.conditions = [PodCondition(type: "Ready", status: ready ? "False" : "True")]
            setPod(key, pod)
        case 11, 12:  // the clock: a tick, an hour, days — across restart-before and deadlines
            now = now + random.pick([1, 60, 3600, 86_400, 10 * 86_400, 40 * 86_400] as [Int64])
        default:
            if random.chance(10) { defaults.tokenLifetime = random.pick([.upstreamDefault, .extended(seconds: 90 * 86_400)]) }
            if random.chance(5) { now = now - 60 }  // a clock that steps back
        }
    }
}

extension Sequence {
    func randomElement(using random: inout SeededRandom) -> Element? {
        let items = Array(self)
        return items.isEmpty ? nil : items[random.below(items.count)]
    }
}
