import Foundation
import KubeModel
import Synchronization
import Testing
import TestSupport
import WatchCache
@testable import APIClient

/// Most updates of a pod change nothing its record keeps: the store takes the new version in
/// without telling anyone (no pass runs for it), while a change the controller reads is reported.
@Suite struct PodRecordContentTests {
    let decoder = FastObjectDecoder(interner: StringInterner())

    func goldenPod() throws -> Pod {
        try decoder.decode(Pod.self, from: Array(try Fixtures.golden("objects/pod.json")))
    }

    func version(_ pod: Pod, _ resourceVersion: String, _ change: (inout Pod) -> Void = { _ in }) -> Pod {
        var pod = pod
        pod.metadata.resourceVersion = resourceVersion
        change(&pod)
        return pod
    }

    @Test func onlyWhatTheRecordKeepsCounts() throws {
        let pod = try goldenPod()
        let record = PodRecord(pod)
        let others = version(pod, "7") { pod in
            pod.metadata.labels = ["other.io/churn": "1"]
            pod.metadata.annotations = ["other.io/churn": "1"]
        }
        #expect(PodRecord(others).sameContent(as: record))
        #expect(!PodRecord(version(pod, "8") { $0.metadata.annotations = ["token-warden.dev/restarted-at": "2026-01-01T00:00:00Z"] })
            .sameContent(as: record))
        let flipped = PodRecord(version(pod, "9") { pod in
            let conditions = pod.status?.conditions?.map { condition in
                var condition = condition
                if condition.type == "Ready" { condition.status = condition.status == "True" ? "False" : "True" }
                return condition
            }
            pod.status?.conditions = conditions
        })
        #expect(flipped.ready != record.ready && !flipped.sameContent(as: record))
        #expect(!PodRecord(version(pod, "10") { $0.metadata.deletionTimestamp = Timestamp(seconds: 1_800_000_000) }).sameContent(as: record))
        #expect(!PodRecord(version(pod, "11") { $0.metadata.ownerReferences = nil }).sameContent(as: record))
    }

    @Test func theStoreKeepsTheNewVersionAndReportsOnlyRealChanges() throws {
        let pod = try goldenPod()
        let reported = Mutex(0), groupsChanged = Mutex(0)
        let index = PodGroupIndex { _ in groupsChanged.withLock { $0 += 1 } }
        let store = ObjectStore<PodRecord>(index: index) { _ in reported.withLock { $0 += 1 } }
        store.upsert(PodRecord(pod))
        #expect(reported.withLock { $0 } == 1 && groupsChanged.withLock { $0 } == 1)

        store.upsert(PodRecord(version(pod, "50") { $0.metadata.labels = ["other.io/churn": "1"] }))
        #expect(reported.withLock { $0 } == 1 && groupsChanged.withLock { $0 } == 1, "nothing the controller reads changed")
        let key = PodRecord(pod).key
        #expect(store.get(key)?.resourceVersion == "50")
        #expect(store.resourceVersion == "50")
        #expect(index.pods(in: PodRecord(pod).groupKey).map(\.resourceVersion) == ["50"])

        store.upsert(PodRecord(version(pod, "51") { $0.metadata.annotations = ["token-warden.dev/mode": "report"] }))
        #expect(reported.withLock { $0 } == 2 && groupsChanged.withLock { $0 } == 2)
    }
}
