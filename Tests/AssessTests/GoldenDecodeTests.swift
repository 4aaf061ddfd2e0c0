import Assess
import Foundation
import KubeModel
import Testing

/// Decodes the captured kube-apiserver objects into the projected types.
@Suite struct GoldenDecodeTests {
    static let objects = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/apiserver-golden/objects")

    func golden(_ name: String) throws -> Data { try Data(contentsOf: Self.objects.appendingPathComponent(name)) }

    struct List<Item: Decodable>: Decodable { var items: [Item] }

    @Test func pod() throws {
        let pod = try JSONDecoder().decode(Pod.self, from: golden("pod.json"))
        #expect(pod.metadata.name == "web-698c77d944-9fz8k")
        #expect(pod.metadata.controllerOwner?.kind == "ReplicaSet")
        #expect(pod.spec.serviceAccountName == "default")
        #expect(pod.spec.nodeName == "fake-node")
        #expect(pod.spec.volumes?.first?.projected?.sources?.first?.serviceAccountToken == ServiceAccountTokenProjection(expirationSeconds: 3607, path: "token"))
        #expect(pod.spec.volumes?.first?.projected?.sources?.count == 4)
        #expect(pod.spec.containers.first?.volumeMounts == [VolumeMount(name: "kube-api-access-fm2np", mountPath: "/var/run/secrets/kubernetes.io/serviceaccount")])
        #expect(pod.status?.phase == "Running")
        #expect(pod.status?.isReady == true)
        #expect(pod.status?.containerStatuses?.first?.runningSince == t("2026-11-23T18:36:59Z"))
        #expect(pod.status?.containerStatuses?.first?.restartCount == 0)
        #expect(!pod.isMirror)
    }

    @Test func goldenPopulationAssesses() throws {
        let pod = try JSONDecoder().decode(Pod.self, from: golden("pod.json"))
        let deployment = try JSONDecoder().decode(Deployment.self, from: golden("deployment.json"))
        let replicaSets = try JSONDecoder().decode(List<ReplicaSet>.self, from: golden("replicasets.json")).items
        let a = Assessor().assess(ClusterSnapshot(pods: [pod], replicaSets: replicaSets, deployments: [deployment]), now: t("2026-11-23T19:00:00Z"))
        let w = a.workloads[0]
        #expect(w.id == WorkloadID(kind: .deployment, namespace: "golden", name: "web"))
        #expect(w.ref.uid == "7ef4b84c-8f90-4fbe-9143-a1af4c2c415b")
        #expect(w.classification == .ok)
        // 18:36:59 − 48m16s = 17:48:43, + 365 d.
        #expect(w.deadline == t("2027-11-23T17:48:43Z"))
        #expect(w.strategy == .rollout)
        #expect(w.rollout == .complete)
    }

    @Test func workloads() throws {
        let d = try JSONDecoder().decode(Deployment.self, from: golden("deployment.json"))
        #expect(d.spec.replicas == 2 && d.spec.strategy?.type == "RollingUpdate" && d.spec.paused == nil)
        #expect(d.status?.availableReplicas == 2 && d.status?.conditions?.count == 2)
        let patched = try JSONDecoder().decode(Deployment.self, from: golden("deployment-after-restart-patch.json"))
        #expect(patched.spec.template?.annotations[PolicyAnnotation.kubectlRestartedAt] == "2026-11-23T18:37:01Z")
        let sts = try JSONDecoder().decode(StatefulSet.self, from: golden("statefulset-ondelete.json"))
        #expect(sts.spec.updateStrategy?.type == "OnDelete" && sts.status?.updateRevision == "db-d9cfb469d")
        let rc = try JSONDecoder().decode(ReplicationController.self, from: golden("replicationcontroller.json"))
        #expect(rc.spec.replicas == 1 && rc.status?.readyReplicas == 1)
        let rs = try JSONDecoder().decode(List<ReplicaSet>.self, from: golden("replicasets.json")).items
        #expect(rs.first?.metadata.controllerOwner?.kind == "Deployment")
        let ns = try JSONDecoder().decode(Namespace.self, from: golden("namespace.json"))
        #expect(ns.status?.phase == "Active")
        #expect(Namespace.resource.namespaced == false)
    }

    @Test(arguments: ["podlist-page1.json", "podlist-page2.json"])
    func podLists(_ file: String) throws {
        let pods = try JSONDecoder().decode(List<Pod>.self, from: golden(file)).items
        #expect(!pods.isEmpty)
        #expect(pods.allSatisfy { !$0.spec.containers.isEmpty })
    }

    @Test func podRoundTrips() throws {
        let pod = try JSONDecoder().decode(Pod.self, from: golden("pod.json"))
        let again = try JSONDecoder().decode(Pod.self, from: JSONEncoder().encode(pod))
        #expect(again == pod)
        // A pod without spec (e.g. a minimal watch object) still decodes.
        let bare = try JSONDecoder().decode(Pod.self, from: Data(#"{"metadata":{"name":"x"}}"#.utf8))
        #expect(bare.spec.containers.isEmpty && bare.status == nil)
    }
}
