/// A cached pod: the facts the controller reads, packed small. A pod's JSON is ~10 KB and its
/// decoded `Pod` several KB of small heap objects; this keeps a few hundred bytes (the name, a
/// packed uid, timestamps, the controller owner shared with its siblings, and one entry per
/// token source of a running container). Immutable: a new version of the pod is a new record.
public final class PodRecord: CacheEntry {
    public enum Phase: UInt8, Sendable {
        case pending, running, succeeded, failed, unknown, other, absent

        init(_ text: String?) {
            switch text {
            case nil: self = .absent
            case "Pending": self = .pending
            case "Running": self = .running
            case "Succeeded": self = .succeeded
            case "Failed": self = .failed
            case "Unknown": self = .unknown
            default: self = .other
            }
        }

        public var text: String? {
            switch self {
            case .pending: "Pending"
            case .running: "Running"
            case .succeeded: "Succeeded"
            case .failed: "Failed"
            case .unknown: "Unknown"
            case .other: "Other"
            case .absent: nil
            }
        }
    }

    public let name: String
    public let namespace: String
    public let uid: PodUID?
    public let resourceVersion: String?
    public let nodeName: String?
    private let creationSeconds: Int64
    private let deletionSeconds: Int64
    private let startSeconds: Int64
    /// The `controller: true` owner reference, shared by every pod of one owner.
    public let owner: PodOwner?
    public let phase: Phase
    public let ready: Bool
    /// A static pod's mirror (`kubernetes.io/config.mirror`).
    public let isMirror: Bool
    /// `automountServiceAccountToken: false` in the spec.
    public let automountDisabled: Bool
    public let tokenMounts: [TokenMount]
    /// Only the `token-warden.dev/` annotations: a bare pod's policy and the restart state the
    /// controller keeps on pods of owners it does not know.
    public let annotations: [String: String]

    private static let absent = Int64.min

    /// - Parameter owner: the pod's controller reference, pass a shared instance (see `PodRecordBuilder`).
    public init(_ pod: Pod, owner: PodOwner?) {
        name = pod.metadata.name
        namespace = pod.metadata.namespace ?? ""
        uid = pod.metadata.uid.map(PodUID.init)
        resourceVersion = pod.metadata.resourceVersion
        nodeName = pod.spec.nodeName
        creationSeconds = pod.metadata.creationTimestamp?.seconds ?? PodRecord.absent
        deletionSeconds = pod.metadata.deletionTimestamp?.seconds ?? PodRecord.absent
        startSeconds = pod.status?.startTime?.seconds ?? PodRecord.absent
        self.owner = owner
        phase = Phase(pod.status?.phase)
        ready = pod.status?.isReady ?? false
        isMirror = pod.isMirror
        automountDisabled = pod.spec.automountServiceAccountToken == false
        tokenMounts = TokenMount.mounts(of: pod)
        annotations = pod.metadata.annotations?.filter { $0.key.hasPrefix(PodRecord.annotationPrefix) } ?? [:]
    }

    /// A record with its own (unshared) owner reference: for tests and one-off conversions.
    public convenience init(_ pod: Pod) {
        self.init(pod, owner: pod.metadata.controllerOwner.map(PodOwner.init))
    }

    public static let annotationPrefix = "token-warden.dev/"

    public var key: PodKey { PodKey(namespace: namespace, name: name) }
    public var creationTimestamp: Timestamp? { timestamp(creationSeconds) }
    public var deletionTimestamp: Timestamp? { timestamp(deletionSeconds) }
    public var startTime: Timestamp? { timestamp(startSeconds) }
    public var isTerminating: Bool { deletionSeconds != PodRecord.absent }

    private func timestamp(_ seconds: Int64) -> Timestamp? {
        seconds == PodRecord.absent ? nil : Timestamp(seconds: seconds)
    }

    /// The cached facts as a `Pod` (metadata, phase, readiness, start time; no containers), for
    /// code that acts on pods one at a time.
    public var pod: Pod {
        Pod(
            metadata: ObjectMeta(
                name: name, namespace: namespace, uid: uid?.description, resourceVersion: resourceVersion,
                creationTimestamp: creationTimestamp, deletionTimestamp: deletionTimestamp,
                annotations: annotations.isEmpty ? nil : annotations, ownerReferences: owner.map { [$0.reference] }),
            spec: PodSpec(nodeName: nodeName),
            status: PodStatus(phase: phase.text, startTime: startTime, conditions: [PodCondition(type: "Ready", status: ready ? "True" : "False")]))
    }

    // MARK: CacheEntry

    public var cacheKey: PodKey { key }
    public var cacheNamespace: String? { namespace }
    public var cacheResourceVersion: String? { resourceVersion }
    public static func cacheKey(namespace: String?, name: String) -> PodKey { PodKey(namespace: namespace ?? "", name: name) }
}
