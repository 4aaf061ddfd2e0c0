import Foundation

/// The eviction subresource's decision (pkg/registry/core/pod/storage/eviction.go): pods that
/// are terminal, Pending or already being deleted go at once; a pod covered by more than one
/// budget is a 500; otherwise the budget (with its status freshly computed) must allow a
/// disruption, else 429 TooManyRequests with a DisruptionBudget cause, exactly as the API server
/// words it. An unready pod may go while the budget is met (IfHealthyBudget).
enum Eviction {
    static func evict(_ request: EvictionRequest, store: ResourceStore, cluster: SimulatedCluster) throws(StatusError) {
        guard let stored = store.get(ResourceCatalog.pods, namespace: request.namespace, name: request.name) else {
            throw StatusError.notFound(ResourceCatalog.pods, name: request.name)
        }
        let pod = stored.value
        let phase = PodFacts.phase(pod)
        let budgets = store.objects(ResourceCatalog.podDisruptionBudgets, namespace: request.namespace).filter { budget in
            PodFacts.matches(selector: budget.value.value(at: ["spec", "selector"]), labels: stored.labels)
        }
        let exempt = phase == "Succeeded" || phase == "Failed" || phase == "Pending" || stored.deletionPending
        if budgets.isEmpty || exempt {
            try delete(request, store: store)
            return
        }
        guard budgets.count == 1, let budget = budgets.first else {
            throw StatusError(code: 500, reason: "InternalError",
                            message: "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.")
        }
        let assessment = DisruptionController.assess(budget, store: store)
        if !PodFacts.isReady(pod) && assessment.healthy >= assessment.math.desiredHealthy && assessment.math.desiredHealthy > 0 {
            try delete(request, store: store)
            return
        }
        guard assessment.math.disruptionsAllowed > 0 else {
            throw StatusError(
                code: 429, reason: "TooManyRequests", message: "Cannot evict pod as it would violate the pod's disruption budget.",
                causes: [.init(reason: "DisruptionBudget",
                               message: "The disruption budget \(budget.name) needs \(assessment.math.desiredHealthy) healthy pods and has \(assessment.healthy) currently")])
        }
        if request.dryRun { return }
        try DisruptionController.writeStatus(assessment, store: store, disruptionsAllowed: assessment.math.disruptionsAllowed - 1)
        try delete(request, store: store)
    }

    private static func delete(_ request: EvictionRequest, store: ResourceStore) throws(StatusError) {
        if request.dryRun { return }
        let options = request.deleteOptions
        try store.delete(ResourceCatalog.pods, namespace: request.namespace, name: request.name,
                         preconditionUID: options?.value(at: ["preconditions", "uid"])?.stringValue,
                         preconditionResourceVersion: options?.value(at: ["preconditions", "resourceVersion"])?.stringValue,
                         gracePeriodSeconds: options?["gracePeriodSeconds"]?.intValue.map { Int($0) })
    }
}
