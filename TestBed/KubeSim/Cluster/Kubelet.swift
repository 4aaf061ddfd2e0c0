import Foundation

/// The simulated scheduler and kubelet for one pod: a Pending pod gets a node, and after the
/// configured delay it is Running and Ready with container statuses (`state.running.startedAt`);
/// a pod marked for graceful deletion is removed.
enum Kubelet {
    /// Returns when to look at the pod again.
    static func reconcile(namespace: String, name: String, cluster: SimulatedCluster) throws(StatusError) -> TimeInterval? {
        let store = cluster.store
        guard let stored = store.get(ResourceCatalog.pods, namespace: namespace, name: name) else { return nil }
        if stored.deletionPending {
            if stored.finalizers.isEmpty {
                try store.delete(ResourceCatalog.pods, namespace: namespace, name: name, preconditionUID: stored.uid,
                                 gracePeriodSeconds: 0)
            }
            return nil
        }
        let pod = stored.value
        guard PodFacts.phase(pod) == "Pending" else { return nil }
        if (pod.value(at: ["spec", "nodeName"])?.stringValue ?? "").isEmpty {
            let nodes = cluster.options.nodes.isEmpty ? ["node-1"] : cluster.options.nodes
            let node = nodes[abs(Int(truncatingIfNeeded: stableHash(stored.uid))) % nodes.count]
            try store.modify(ResourceCatalog.pods, namespace: namespace, name: name) { value throws(StatusError) in
                value.set(.string(node), at: ["spec", "nodeName"])
            }
        }
        // creationTimestamp has second precision: the delay runs from when the kubelet first saw the pod.
        let firstSeen = cluster.pendingSince.withLock { table in
            if let seen = table[stored.uid] { return seen }
            table[stored.uid] = Date()
            return Date()
        }
        let wait = firstSeen.addingTimeInterval(cluster.options.readyDelay).timeIntervalSinceNow
        if wait > 0 { return wait }
        cluster.pendingSince.withLock { _ = $0.removeValue(forKey: stored.uid) }
        try store.modify(ResourceCatalog.pods, namespace: namespace, name: name, subresource: .status) { value throws(StatusError) in
            guard PodFacts.phase(value) == "Pending" else { return }
            value["status"] = runningStatus(for: value, now: store.now())
        }
        return nil
    }

    static func runningStatus(for pod: JSONValue, now: Date) -> JSONValue {
        let time = JSONValue.string(PodFacts.timestamp(now))
        let uid = pod.value(at: ["metadata", "uid"])?.stringValue ?? ""
        let node = pod.value(at: ["spec", "nodeName"])?.stringValue ?? "node-1"
        let nodeNumber = Int(node.split(separator: "-").last ?? "") ?? 1
        let hostIP = "10.0.0.\(10 + nodeNumber % 240)"
        let podIP = "10.244.\(nodeNumber % 250).\(abs(Int(truncatingIfNeeded: stableHash(uid))) % 250 + 2)"
        func condition(_ type: String) -> JSONValue {
            ["type": .string(type), "status": "True", "lastProbeTime": nil, "lastTransitionTime": time]
        }
        var statuses: [JSONValue] = []
        for container in pod.value(at: ["spec", "containers"])?.arrayValue ?? [] {
            let name = container["name"]?.stringValue ?? ""
            let image = container["image"]?.stringValue ?? ""
            statuses.append([
                "name": .string(name), "state": ["running": ["startedAt": time]], "lastState": [:], "ready": true,
                "restartCount": 0, "image": .string(image), "imageID": .string("fake://\(image)"),
                "containerID": .string("fake://\(uid)/\(name)"), "started": true,
            ])
        }
        var status = JSONObject()
        status["phase"] = "Running"
        status["conditions"] = [
            condition("PodReadyToStartContainers"), condition("Initialized"), condition("Ready"),
            condition("ContainersReady"), condition("PodScheduled"),
        ]
        status["hostIP"] = .string(hostIP)
        status["hostIPs"] = [["ip": .string(hostIP)]]
        status["podIP"] = .string(podIP)
        status["podIPs"] = [["ip": .string(podIP)]]
        status["startTime"] = time
        if let initContainers = pod.value(at: ["spec", "initContainers"])?.arrayValue, !initContainers.isEmpty {
            status["initContainerStatuses"] = .array(initContainers.map { container in
                let image = container["image"]?.stringValue ?? ""
                return [
                    "name": container["name"] ?? "", "state": ["terminated": ["exitCode": 0, "reason": "Completed",
                                                                           "startedAt": time, "finishedAt": time]],
                    "lastState": [:], "ready": true, "restartCount": 0, "image": .string(image),
                    "imageID": .string("fake://\(image)"), "started": false,
                ]
            })
        }
        status["containerStatuses"] = .array(statuses)
        status["qosClass"] = pod.value(at: ["status", "qosClass"]) ?? "BestEffort"
        return .object(status)
    }

    /// FNV-1a: stable across runs (Swift's Hasher is seeded per process).
    static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}
