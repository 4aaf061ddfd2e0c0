import Foundation

/// Jobs (pkg/controller/job), minimal: a Job that is neither complete nor failed and has fewer
/// active pods than `parallelism` (default 1) gets pods from its template, owned by it. The
/// simulated kubelet runs them; they do not finish on their own. Completed Jobs are left alone.
enum JobController {
    static func reconcile(namespace: String, name: String, cluster: SimulatedCluster) throws(StatusError) {
        let store = cluster.store
        guard let stored = store.get(ResourceCatalog.jobs, namespace: namespace, name: name), !stored.deletionPending else { return }
        let job = stored.value
        let finished = (job.value(at: ["status", "conditions"])?.arrayValue ?? []).contains {
            ($0["type"]?.stringValue == "Complete" || $0["type"]?.stringValue == "Failed") && $0["status"]?.stringValue == "True"
        }
        guard !finished, job.value(at: ["spec", "suspend"])?.boolValue != true else { return }
        let completions = PodFacts.int(job.value(at: ["spec", "completions"]), default: 1)
        let succeeded = PodFacts.int(job.value(at: ["status", "succeeded"]), default: 0)
        let parallelism = PodFacts.int(job.value(at: ["spec", "parallelism"]), default: 1)
        // A Job created without a selector (the API server would generate one) is matched by owner only.
        let pods = job.value(at: ["spec", "selector"]) == nil
            ? store.objects(ResourceCatalog.pods, namespace: namespace).map(\.value).filter { PodFacts.controllerUID($0) == stored.uid }
            : ReplicaSetController.ownedPods(of: stored, object: job, store: store)
        let active = pods.filter(PodFacts.isActive)
        let wanted = min(parallelism, max(0, completions - succeeded))
        if active.count < wanted {
            for _ in active.count..<wanted {
                let pod = PodFacts.newPod(
                    template: job.value(at: ["spec", "template"]), namespace: namespace, generateName: name + "-",
                    owner: ("batch/v1", "Job", name, stored.uid),
                    extraLabels: [("batch.kubernetes.io/controller-uid", stored.uid), ("batch.kubernetes.io/job-name", name),
                                  ("controller-uid", stored.uid), ("job-name", name)])
                try store.create(ResourceCatalog.pods, namespace: namespace, object: pod)
            }
        }
        let ready = active.filter(PodFacts.isReady).count
        try store.modify(ResourceCatalog.jobs, namespace: namespace, name: name, subresource: .status) { value throws(StatusError) in
            var status = value["status"]?.objectValue ?? JSONObject()
            if status["startTime"] == nil { status["startTime"] = .string(PodFacts.timestamp(store.now())) }
            status["active"] = .int(Int64(max(active.count, wanted)))
            status["ready"] = .int(Int64(ready))
            status["terminating"] = 0
            if status["uncountedTerminatedPods"] == nil { status["uncountedTerminatedPods"] = [:] }
            value["status"] = .object(status)
        }
    }
}
