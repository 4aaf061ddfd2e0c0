/// A cached pod: the facts the controller reads, packed small. A pod's JSON is ~10 KB and its
/// decoded `Pod` several KB of small heap objects; this keeps ~400 bytes in two allocations (the
/// name — only its tail when it follows the owner's —, a packed uid, timestamps, the controller
/// owner shared with its siblings, and one packed entry per token source of a running
/// container). Immutable: a new version of the pod is a new record.
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

    // Declaration order is layout order: the one-byte fields fill the uid's padding.
    public let namespace: String
    /// The name, or only what follows `owner.name + "-"` when it starts with that (see `name`).
    private let nameTail: String
    /// The `controller: true` owner reference, shared by every pod of one owner.
    public let owner: PodOwner?
    public let uid: PodUID?
    public let phase: Phase
    public let ready: Bool
    /// A static pod's mirror (`kubernetes.io/config.mirror`).
    public let isMirror: Bool
    /// `automountServiceAccountToken: false` in the spec.
    public let automountDisabled: Bool
    private let nameFollowsOwner: Bool
    public let resourceVersion: String?
    public let nodeName: String?
    private let creationSeconds: Int64
    private let deletionSeconds: Int64
    private let startSeconds: Int64
    public let tokenMounts: [TokenMount]
    /// Only the `token-warden.dev/` annotations: a bare pod's policy and the restart state the
    /// controller keeps on pods of owners it does not know.
    public let annotations: [String: String]

    private static let absent = Int64.min

    /// - Parameter owner: the pod's controller reference, pass a shared instance (see `PodRecordBuilder`).
    public init(_ pod: Pod, owner: PodOwner?) {
        let name = pod.metadata.name
        namespace = pod.metadata.namespace ?? ""
        if let owner, let tail = PodRecord.tail(of: name, after: owner.name) {
            (nameTail, nameFollowsOwner) = (tail, true)
        } else {
            (nameTail, nameFollowsOwner) = (name, false)
        }
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

    /// The pod's name. Pods made by a controller are named after it (`<replicaset>-<5 random>`,
    /// `<statefulset>-<ordinal>`, `<job>-<5 random>`): the record keeps only the short tail,
    /// which Swift stores inline, instead of a ~30-byte heap string per pod.
    public var name: String { ownerNamePrefix.map { $0 + "-" + nameTail } ?? nameTail }

    /// The owner's name when `nameTail` follows it.
    private var ownerNamePrefix: String? { nameFollowsOwner ? owner?.name : nil }

    /// What follows `ownerName + "-"` in `name`, when it fits inline (15 UTF-8 bytes) and both
    /// are ASCII (Kubernetes names are), so comparing tails orders names as comparing names does.
    private static func tail(of name: String, after ownerName: String) -> String? {
        UTF8Parts.withBytes(name) { name in
            UTF8Parts.withBytes(ownerName) { owner in
                let prefix = owner.count + 1
                guard name.count > prefix, name.count - prefix <= 15, name.starts(with: owner),
                      name[owner.count] == UInt8(ascii: "-"), name.allSatisfy({ $0 < 0x80 })
                else { return nil }
                return String(decoding: UnsafeRawBufferPointer(rebasing: name[prefix...]), as: UTF8.self)
            }
        }
    }

    /// The record keeps only what the controller reads, so most updates of a pod (another
    /// controller's labels and annotations, status fields other than its phase and readiness)
    /// make a record equal to the last one in everything but the resourceVersion. Every stored
    /// field but that one is compared: a field added to the record belongs here too.
    public func sameContent(as other: PodRecord) -> Bool {
        ready == other.ready && sameContentButReadiness(as: other)
    }

    /// `sameContent`, readiness aside: what a readiness probe that fails or recovers changes.
    public func sameContentButReadiness(as other: PodRecord) -> Bool {
        hasSameCacheKey(as: other) && uid == other.uid && phase == other.phase && isMirror == other.isMirror
            && automountDisabled == other.automountDisabled && nodeName == other.nodeName && creationSeconds == other.creationSeconds
            && deletionSeconds == other.deletionSeconds && startSeconds == other.startSeconds && tokenMounts == other.tokenMounts
            && annotations == other.annotations && Self.sameOwner(owner, other.owner)
    }

    private static func sameOwner(_ a: PodOwner?, _ b: PodOwner?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return a === b || (a.packedUID == b.packedUID && a.name == b.name && a.kind == b.kind && a.apiVersion == b.apiVersion)
    }

    /// Orders records by name as `a.name < b.name` would, without building the names of
    /// siblings (the assessor sorts every workload's pods).
    public static func nameOrder(_ a: PodRecord, _ b: PodRecord) -> Bool {
        if a.nameFollowsOwner, b.nameFollowsOwner, a.owner === b.owner { return a.nameTail < b.nameTail }
        return a.name < b.name
    }

    private func hashName(into hasher: inout Hasher) {
        if let prefix = ownerNamePrefix {
            UTF8Parts.hash(prefix, "-", nameTail, into: &hasher)
        } else {
            UTF8Parts.hash(nameTail, into: &hasher)
        }
    }

    private func nameEquals(_ other: String) -> Bool {
        if let prefix = ownerNamePrefix { return UTF8Parts.equals(other, prefix, "-", nameTail) }
        return UTF8Parts.equals(other, nameTail)
    }

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
    public var cacheUID: String? { uid?.description }
    public static func cacheKey(namespace: String?, name: String) -> PodKey { PodKey(namespace: namespace ?? "", name: name) }

    public func hashCacheKey(into hasher: inout Hasher) {
        hasher.combine(namespace)
        hashName(into: &hasher)
    }

    public func hasCacheKey(_ key: PodKey) -> Bool {
        UTF8Parts.equals(namespace, key.namespace) && nameEquals(key.name)
    }

    public func hasSameCacheKey(as other: PodRecord) -> Bool {
        guard UTF8Parts.equals(namespace, other.namespace) else { return false }
        if nameFollowsOwner, other.nameFollowsOwner, owner === other.owner { return UTF8Parts.equals(nameTail, other.nameTail) }
        return nameEquals(other.name)
    }
}
