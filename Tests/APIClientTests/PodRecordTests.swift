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
}
