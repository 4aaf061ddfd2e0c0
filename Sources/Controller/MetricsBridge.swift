import APIClient
import Observe
import WatchCache

/// Feeds what the client and the reflectors do into metrics and readiness.
public struct MetricsBridge: APIClientObserver, ReflectorObserver {
    public let metrics: WardenMetrics
    public let health: HealthState

    public init(metrics: WardenMetrics, health: HealthState) {
        self.metrics = metrics
        self.health = health
    }

    public func requestCompleted(verb: String, resource: String, code: Int, seconds: Double) {
        metrics.recordAPIRequest(verb: verb, code: code == 0 ? nil : code)
        if code == 0 {
            health.recordAPIFailure("no answer from the API server (\(verb) \(resource))")
        } else if code == 401 {
            health.recordTokenRejected()
        } else {
            health.recordAPISuccess()
        }
    }

    public func relisted(resource: String, objects: Int) {
        metrics.recordRelist(resource: resource)
        ProcessMemory.noteRelist()
    }

    public func watchRestarted(resource: String, reason: String) {
        metrics.recordWatchRestart(resource: resource)
    }
}
