import Foundation
import Testing

@testable import KubeSim

/// A store with a running simulated cluster (pods ready at once), and helpers to build and wait.
final class ClusterHarness {
    let store: ResourceStore
    let cluster: SimulatedCluster

    init(readyDelay: TimeInterval = 0, nodes: [String] = ["node-1", "node-2", "node-3"], seed: [JSONValue] = [],
         namespaces: [String] = ["apps"], skipSettled: Bool = false) throws {
        store = ResourceStore()
        try store.load(namespaces.map { ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string($0)]] } + seed)
        var options = ClusterOptions()
        options.readyDelay = readyDelay
        options.nodes = nodes
        options.initialSyncSkipsSettled = skipSettled
        cluster = SimulatedCluster(store: store, options: options)
        cluster.start()
    }

    deinit {
        cluster.stop()
        store.close()
    }

    /// Polls until `condition` holds (fails the test after `timeout`).
    @discardableResult
    func wait(_ what: String, timeout: TimeInterval = 20, sourceLocation: SourceLocation = #_sourceLocation,
              _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(10_000)
        }
        Issue.record("timed out waiting for \(what)", sourceLocation: sourceLocation)
        return false
    }

    func pods(_ namespace: String = "apps", label: (String, String)? = nil) -> [StoredObject] {
        store.objects(ResourceCatalog.pods, namespace: namespace).filter { pod in
            label.map { pod.labels[$0.0] == $0.1 } ?? true
        }
    }

    func readyPods(_ namespace: String = "apps", label: (String, String)) -> [StoredObject] {
        pods(namespace, label: label).filter { PodFacts.isReady($0.value) }
    }

    func object(_ type: ResourceType, _ name: String, namespace: String = "apps") -> JSONValue? {
        store.get(type, namespace: namespace, name: name)?.value
    }

    /// What `kubectl rollout restart` does: a strategic merge patch of the template annotation.
    func restart(_ type: ResourceType, _ name: String, namespace: String = "apps", at stamp: String = "2026-11-23T20:00:00Z") throws {
        let patch: JSONValue = ["spec": ["template": ["metadata": ["annotations": ["kubectl.kubernetes.io/restartedAt": .string(stamp)]]]]]
        try store.modify(type, namespace: namespace, name: name) { value throws(StatusError) in
            do throws(PatchError) {
                value = try StrategicMergePatch.apply(patch, to: value)
            } catch {
                throw StatusError.badRequest(error.message)
            }
        }
    }

    static func template(app: String, image: String = "example/app:1") -> JSONValue {
        [
            "metadata": ["labels": ["app": .string(app)]],
            "spec": [
                "containers": [["name": "app", "image": .string(image), "terminationMessagePath": "/dev/termination-log",
                                "terminationMessagePolicy": "File", "imagePullPolicy": "IfNotPresent"]],
                "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
                "securityContext": [:], "schedulerName": "default-scheduler",
            ],
        ]
    }

    static func deployment(_ name: String, replicas: Int64, maxSurge: JSONValue = "25%", maxUnavailable: JSONValue = "25%",
                           paused: Bool = false, namespace: String = "apps") -> JSONValue {
        var spec: JSONValue = [
            "replicas": .int(replicas), "selector": ["matchLabels": ["app": .string(name)]], "template": template(app: name),
            "strategy": ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": maxUnavailable, "maxSurge": maxSurge]],
            "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600,
        ]
        if paused { spec["paused"] = true }
        return ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name), "namespace": .string(namespace)],
                "spec": spec]
    }

    static func statefulSet(_ name: String, replicas: Int64, onDelete: Bool = false, namespace: String = "apps") -> JSONValue {
        [
            "apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "spec": [
                "replicas": .int(replicas), "selector": ["matchLabels": ["app": .string(name)]], "template": template(app: name),
                "serviceName": .string(name), "podManagementPolicy": "OrderedReady",
                "updateStrategy": onDelete ? ["type": "OnDelete"] : ["type": "RollingUpdate", "rollingUpdate": ["partition": 0]],
            ],
        ]
    }

    static func daemonSet(_ name: String, namespace: String = "apps") -> JSONValue {
        [
            "apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "spec": ["selector": ["matchLabels": ["app": .string(name)]], "template": template(app: name),
                     "updateStrategy": ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": 1, "maxSurge": 0]]],
        ]
    }

    static func replicationController(_ name: String, replicas: Int64, namespace: String = "apps") -> JSONValue {
        [
            "apiVersion": "v1", "kind": "ReplicationController", "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "spec": ["replicas": .int(replicas), "selector": ["app": .string(name)], "template": template(app: name)],
        ]
    }

    static func podDisruptionBudget(_ name: String, app: String, _ rule: String, _ value: JSONValue, namespace: String = "apps") -> JSONValue {
        var spec = JSONObject()
        spec[rule] = value
        spec["selector"] = ["matchLabels": ["app": .string(app)]]
        return ["apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                "metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": .object(spec)]
    }
}
