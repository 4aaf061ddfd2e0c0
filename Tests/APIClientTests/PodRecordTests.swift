import Foundation
import KubeModel
import Testing
import TestSupport
@testable import APIClient

/// The compact cache form of a pod keeps exactly what the token-age model and the executor read.
@Suite struct PodRecordTests {
    let decoder = FastObjectDecoder(interner: StringInterner())

    func goldenPod() throws -> Pod {
        try decoder.decode(Pod.self, from: Array(try Fixtures.golden("objects/pod.json")))
    }

    @Test func goldenPodKeepsItsTokenFacts() throws {
        let pod = try goldenPod()
        let record = PodRecord(pod)
        #expect(record.key == PodKey(namespace: "golden", name: "web-698c77d944-9fz8k"))
        #expect(record.uid?.description == "94841b8e-40e2-45e2-a583-a453fcb25970")
        #expect(record.owner?.kind == "ReplicaSet" && record.owner?.name == "web-698c77d944")
        #expect(record.phase == .running && record.ready == pod.status?.isReady)
        #expect(record.tokenMounts == [TokenMount(
            container: "app", volume: "kube-api-access-fm2np", role: .regular,
            source: .projected(expirationSeconds: 3607, audience: ""),
            startedAt: pod.status!.containerStatuses![0].runningSince!, startSource: .containerStartedAt)])
        #expect(record.creationTimestamp == pod.metadata.creationTimestamp)
        #expect(record.startTime == pod.status?.startTime)
        #expect(!record.isTerminating && !record.isMirror)
    }

    @Test func podViewCarriesWhatTheExecutorReads() throws {
        var pod = try goldenPod()
        pod.metadata.annotations = ["token-warden.dev/restarted-at": "2026-01-01T00:00:00Z", "other.io/x": "y"]
        pod.metadata.deletionTimestamp = Timestamp(seconds: 1_800_000_000)
        let view = PodRecord(pod).pod
        #expect(view.metadata.name == pod.metadata.name && view.metadata.namespace == pod.metadata.namespace)
        #expect(view.metadata.uid == pod.metadata.uid && view.metadata.resourceVersion == pod.metadata.resourceVersion)
        #expect(view.metadata.annotations == ["token-warden.dev/restarted-at": "2026-01-01T00:00:00Z"])
        #expect(view.metadata.deletionTimestamp == pod.metadata.deletionTimestamp)
        #expect(view.metadata.controllerOwner?.uid == pod.metadata.controllerOwner?.uid)
        #expect(view.status?.phase == "Running" && view.status?.isReady == pod.status?.isReady)
        #expect(view.status?.startTime == pod.status?.startTime)
    }

    @Test(arguments: [
        "94841b8e-40e2-45e2-a583-a453fcb25970", "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
        "94841B8E-40E2-45E2-A583-A453FCB25970", "uid-1", "", "94841b8e-40e2-45e2-a583-a453fcb2597g", "94841b8e+40e2-45e2-a583-a453fcb25970",
    ])
    func uidsFormatBackExactly(_ text: String) {
        #expect(PodUID(text).description == text)
        #expect(PodUID(text) == PodUID(text))
    }

    @Test func siblingsShareOneOwnerUntilTheTableFills() throws {
        let builder = PodRecordBuilder(capacity: 2)
        var pod = try goldenPod()
        let first = builder.record(pod)
        pod.metadata.name = "web-698c77d944-other"
        let second = builder.record(pod)
        #expect(first.owner === second.owner)
        for index in 0..<3 {  // other owners fill the table; it starts afresh
            var other = pod
            other.metadata.ownerReferences = [OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs-\(index)", uid: "u-\(index)", controller: true)]
            _ = builder.record(other)
        }
        let third = builder.record(pod)
        #expect(third.owner !== first.owner)
        #expect(third.owner?.uid == first.owner?.uid)
    }

    @Test func onlyRunningContainersWithTokenVolumesCount() throws {
        var pod = try goldenPod()
        let volume = pod.spec.volumes![0].name
        pod.spec.initContainers = [
            Container(name: "sidecar", restartPolicy: "Always", volumeMounts: [VolumeMount(name: volume, mountPath: "/t")]),
            Container(name: "init", volumeMounts: [VolumeMount(name: volume, mountPath: "/t")]),
        ]
        pod.status?.initContainerStatuses = [
            ContainerStatus(name: "sidecar", state: ContainerState(running: ContainerStateRunning(startedAt: Timestamp(seconds: 5)))),
            ContainerStatus(name: "init", state: ContainerState(running: ContainerStateRunning(startedAt: Timestamp(seconds: 6)))),
        ]
        pod.spec.volumes!.append(Volume(name: "legacy", secret: SecretVolumeSource(secretName: "sa-token")))
        pod.spec.containers[0].volumeMounts!.append(VolumeMount(name: "legacy", mountPath: TokenMount.legacyMountPath + "/"))
        let mounts = PodRecord(pod).tokenMounts
        #expect(mounts.map(\.container) == ["app", "app", "sidecar"])
        #expect(mounts.map(\.role) == [.regular, .regular, .sidecar])
        #expect(mounts[1].source == .legacySecret(secretName: "sa-token"))
        #expect(mounts[2].startedAt == Timestamp(seconds: 5))

        pod.status?.containerStatuses = []
        pod.status?.initContainerStatuses = []
        #expect(PodRecord(pod).tokenMounts.isEmpty)
    }

    // MARK: Compact storage

    static let replicaSet = OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-698c77d944", uid: "94841b8e-40e2-45e2-a583-a453fcb25970", controller: true)

    static func record(_ name: String, owner: PodOwner?, namespace: String = "shop") -> PodRecord {
        PodRecord(Pod(metadata: ObjectMeta(name: name, namespace: namespace), spec: PodSpec()), owner: owner)
    }

    /// Names kept as a tail after the owner's, and every case that must be kept whole instead.
    @Test(arguments: [
        "web-698c77d944-9fz8k", "web-698c77d944-0", "web-698c77d944-123456789012345", "web-698c77d944-1234567890123456",
        "web-698c77d944-", "web-698c77d944", "web-698c77d944x9fz8k", "web-698c77d9", "other-9fz8k", "web-698c77d944-é", "",
    ])
    func namesComeBackExactlyAndKeyAsWhole(_ name: String) {
        let owner = PodOwner(Self.replicaSet)
        let record = Self.record(name, owner: owner)
        #expect(record.name == name)
        #expect(record.key == PodKey(namespace: "shop", name: name))
        #expect(record.hasCacheKey(PodKey(namespace: "shop", name: name)))
        #expect(!record.hasCacheKey(PodKey(namespace: "shop", name: name + "x")) && !record.hasCacheKey(PodKey(namespace: "shopx", name: name)))
        var hasher = Hasher()
        record.hashCacheKey(into: &hasher)
        #expect(hasher.finalize() == PodRecord.cacheKeyHash(PodKey(namespace: "shop", name: name)))
        let whole = Self.record(name, owner: nil)
        #expect(record.hasSameCacheKey(as: whole) && whole.hasSameCacheKey(as: record))
        #expect(!record.hasSameCacheKey(as: Self.record(name + "1", owner: owner)))
        #expect(!record.hasSameCacheKey(as: Self.record(name, owner: owner, namespace: "other")))
    }

    @Test func nameOrderIsTheOrderOfTheNames() {
        let owner = PodOwner(Self.replicaSet)
        let other = PodOwner(OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: "web", uid: "u-2"))
        let names = ["web-698c77d944-b", "web-698c77d944-a", "web-698c77d944-aa", "web-698c77d944-Z", "web-698c77d944-", "web-1", "web-698c77d944-9", "web-698c77d944-a0"]
        let records = names.flatMap { [Self.record($0, owner: owner), Self.record($0, owner: other), Self.record($0, owner: nil)] }
        for a in records {
            for b in records where PodRecord.nameOrder(a, b) != (a.name < b.name) {
                Issue.record("nameOrder(\(a.name), \(b.name)) disagrees with <")
            }
        }
    }

    @Test(arguments: [
        ("kube-api-access-fm2np", TokenMount.Source.projected(expirationSeconds: 3607, audience: "")),
        ("kube-api-access-fm2np", .projected(expirationSeconds: nil, audience: "vault")),
        ("kube-api-access-", .projected(expirationSeconds: 600, audience: "")),
        ("kube-api-access-with-a-very-long-suffix", .projected(expirationSeconds: 86_400, audience: "https://kubernetes.default.svc.cluster.local")),
        ("token", .projected(expirationSeconds: Int64(UInt32.max), audience: "sts.amazonaws.com")),
        ("default-token-x7k2p", .legacySecret(secretName: "default-token-x7k2p")),
        ("legacy", .legacySecret(secretName: "")),
        ("legacy", .legacySecret(secretName: nil)),
        ("", .legacySecret(secretName: "é")),
    ])
    func mountsGiveBackTheirVolumeAndSource(_ volume: String, _ source: TokenMount.Source) {
        let mount = TokenMount(container: "app", volume: volume, role: .sidecar, source: source, startedAt: Timestamp(seconds: 42), startSource: .podStartTime)
        #expect(mount.volume == volume && mount.source == source)
        #expect(mount.container == "app" && mount.role == .sidecar && mount.startedAt == Timestamp(seconds: 42) && mount.startSource == .podStartTime)
        let same = TokenMount(container: "app", volume: volume, role: .sidecar, source: source, startedAt: Timestamp(seconds: 42), startSource: .podStartTime)
        #expect(mount == same && mount.hashValue == same.hashValue)
        let otherVolume = TokenMount(container: "app", volume: volume + "x", role: .sidecar, source: source, startedAt: Timestamp(seconds: 42), startSource: .podStartTime)
        #expect(mount != otherVolume)
    }

    /// Two token sources are kept for the average pod; the layout is what P2's figure is made of.
    @Test func mountStaysPacked() {
        #expect(MemoryLayout<TokenMount>.stride <= 56)
    }

    @Test func ownersKeepTheirUIDPackedAndGiveItBack() {
        for uid in ["94841b8e-40e2-45e2-a583-a453fcb25970", "u-2", ""] {
            let owner = PodOwner(OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: "web", uid: uid))
            #expect(owner.uid == uid && owner.reference.uid == uid && owner.reference.controller == true)
        }
    }
}
