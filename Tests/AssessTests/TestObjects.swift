import Assess
import KubeModel

/// Builders for hand-made objects in the table-driven tests.
func t(_ text: String) -> Timestamp {
    guard let value = Timestamp(rfc3339: text) else { fatalError("bad test timestamp \(text)") }
    return value
}

let day: Int64 = 86_400
let lag3607: Int64 = 2_896  // min(0.8 × 3607, 24 h) + 10 s = 48m16s
let year: Int64 = 365 * day

enum TokenVolume {
    case apiProjected(expirationSeconds: Int64? = 3607, audience: String? = nil)
    case legacySecret(mountPath: String = "/var/run/secrets/kubernetes.io/serviceaccount")
    case none
}

struct TestContainer {
    var name = "app"
    var startedAt: String? = "2026-01-01T00:00:00Z"
    var running = true
    var mounts = true
    var restartCount = 0
}

/// A Running pod whose containers mount the `token` volume (when `mounts`).
func makePod(
    name: String = "p", namespace: String = "ns", uid: String? = nil, phase: String? = "Running",
    volume: TokenVolume = .apiProjected(), containers: [TestContainer] = [TestContainer()],
    initContainers: [(TestContainer, restartPolicy: String?)] = [], ephemeral: [TestContainer] = [],
    podStart: String? = "2025-12-31T23:59:00Z", created: String? = "2025-12-31T23:58:00Z",
    owner: OwnerReference? = nil, annotations: [String: String]? = nil, automount: Bool? = nil,
    deleting: Bool = false
) -> Pod {
    var volumes: [Volume] = []
    var mountPath = "/var/run/secrets/kubernetes.io/serviceaccount"
    switch volume {
    case .apiProjected(let expirationSeconds, let audience):
        volumes.append(Volume(name: "token", projected: ProjectedVolumeSource(sources: [
            VolumeProjection(serviceAccountToken: ServiceAccountTokenProjection(audience: audience, expirationSeconds: expirationSeconds)),
            VolumeProjection(),
        ])))
    case .legacySecret(let path):
        volumes.append(Volume(name: "token", secret: SecretVolumeSource(secretName: "default-token-abcde")))
        mountPath = path
    case .none:
        break
    }
    func spec(_ c: TestContainer, restartPolicy: String? = nil) -> Container {
        Container(name: c.name, restartPolicy: restartPolicy,
                  volumeMounts: c.mounts && !volumes.isEmpty ? [VolumeMount(name: "token", mountPath: mountPath)] : [])
    }
    func status(_ c: TestContainer) -> ContainerStatus {
        ContainerStatus(name: c.name, ready: c.running, restartCount: c.restartCount,
                        state: c.running ? ContainerState(running: ContainerStateRunning(startedAt: c.startedAt.map(t))) : ContainerState())
    }
    let meta = ObjectMeta(
        name: name, namespace: namespace, uid: uid ?? "uid-\(name)", creationTimestamp: created.map(t),
        deletionTimestamp: deleting ? t("2026-11-23T18:59:00Z") : nil, annotations: annotations,
        ownerReferences: owner.map { [$0] })
    return Pod(
        metadata: meta,
        spec: PodSpec(serviceAccountName: "default", automountServiceAccountToken: automount, nodeName: "node-1",
                      volumes: volumes, containers: containers.map { spec($0) },
                      initContainers: initContainers.isEmpty ? nil : initContainers.map { spec($0.0, restartPolicy: $0.restartPolicy) },
                      ephemeralContainers: ephemeral.isEmpty ? nil : ephemeral.map { spec($0) }),
        status: PodStatus(phase: phase, startTime: podStart.map(t),
                          conditions: [PodCondition(type: "Ready", status: "True")],
                          containerStatuses: containers.map(status),
                          initContainerStatuses: initContainers.isEmpty ? nil : initContainers.map { status($0.0) },
                          ephemeralContainerStatuses: ephemeral.isEmpty ? nil : ephemeral.map(status)))
}

func ownerRef(_ kind: String, _ name: String, apiVersion: String? = nil) -> OwnerReference {
    let version = apiVersion ?? [
        "ReplicaSet": "apps/v1", "Deployment": "apps/v1", "StatefulSet": "apps/v1", "DaemonSet": "apps/v1",
        "Job": "batch/v1", "CronJob": "batch/v1", "ReplicationController": "v1",
    ][kind] ?? "example.com/v1"
    return OwnerReference(apiVersion: version, kind: kind, name: name, uid: "uid-\(kind)-\(name)", controller: true)
}

func meta(_ name: String, namespace: String? = "ns", kind: String, annotations: [String: String]? = nil, owner: OwnerReference? = nil) -> ObjectMeta {
    ObjectMeta(name: name, namespace: namespace, uid: "uid-\(kind)-\(name)", generation: 1, annotations: annotations,
               ownerReferences: owner.map { [$0] })
}

func namespace(_ name: String = "ns", annotations: [String: String]? = nil) -> Namespace {
    Namespace(metadata: ObjectMeta(name: name, uid: "uid-ns-\(name)", annotations: annotations))
}

/// A Deployment `name` with one ReplicaSet `name-rs`; returns both and the owner reference its pods use.
func deployment(_ name: String, annotations: [String: String]? = nil, paused: Bool = false, replicas: Int = 1)
    -> (Deployment, ReplicaSet, OwnerReference)
{
    let d = Deployment(
        metadata: meta(name, kind: "Deployment", annotations: annotations),
        spec: .init(replicas: replicas, paused: paused, strategy: UpdateStrategy(type: "RollingUpdate"), template: PodTemplate()),
        status: .init(observedGeneration: 1, replicas: replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas))
    let rs = ReplicaSet(metadata: meta("\(name)-rs", kind: "ReplicaSet", owner: ownerRef("Deployment", name)))
    return (d, rs, ownerRef("ReplicaSet", "\(name)-rs"))
}

/// The one workload of a snapshot holding `pod` (and optional namespace).
func assessOne(_ pod: Pod, now: Timestamp, defaults: PolicyDefaults = PolicyDefaults(), namespaces: [Namespace] = [],
               evidence: [String: TokenEvidence] = [:]) -> WorkloadAssessment {
    let assessment = Assessor(defaults: defaults).assess(ClusterSnapshot(pods: [pod], namespaces: namespaces), now: now,
                                                         evidence: evidence)
    return assessment.workloads[0]
}

/// Audit evidence that the pod `uid` presents a token issued at `issued`, seen at `seen`.
func tokenEvidence(_ uid: String, issued: String, seen: String = "2026-11-20T00:00:00Z") -> [String: TokenEvidence] {
    [uid: TokenEvidence(source: .webhook, firstSeen: t(seen), lastSeen: t(seen), serviceAccount: "default", tokenIssuedAt: t(issued))]
}
