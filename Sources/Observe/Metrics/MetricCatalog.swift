/// Every metric token-warden exports, in one place: the name, type, labels and help text.
/// `WardenMetrics` registers from this table and the README's metrics table is rendered from it.
public struct MetricDescription: Sendable, Equatable {
    public enum Kind: String, Sendable { case counter, gauge, histogram }
    public let name: String
    public let kind: Kind
    public let labels: [String]
    public let help: String
}

public enum MetricCatalog {
    public static let pods = MetricDescription(
        name: "token_warden_pods", kind: .gauge, labels: ["classification"],
        help: "Pods in scope by token classification at the last assessment.")
    public static let workloads = MetricDescription(
        name: "token_warden_workloads", kind: .gauge, labels: ["classification"],
        help: "Workloads by their worst pod's token classification at the last assessment.")
    public static let deadlineRemaining = MetricDescription(
        name: "token_warden_workload_deadline_remaining_seconds", kind: .gauge, labels: ["namespace", "kind", "name"],
        help: "Seconds until the earliest token deadline of a workload (negative when passed); at-risk and expired workloads plus the next earliest few only.")
    public static let restarts = MetricDescription(
        name: "token_warden_restarts_total", kind: .counter, labels: ["kind", "result"],
        help: "Workload restarts started by token-warden, by workload kind and result.")
    public static let evictions = MetricDescription(
        name: "token_warden_evictions_total", kind: .counter, labels: ["kind", "result"],
        help: "Pod evictions requested by token-warden, by owning workload kind and result.")
    public static let deferredRestarts = MetricDescription(
        name: "token_warden_deferred_restarts_total", kind: .counter, labels: ["cause"],
        help: "Restarts that were due but deferred, by cause.")
    public static let forecastMisses = MetricDescription(
        name: "token_warden_forecast_misses", kind: .gauge, labels: [],
        help: "At-risk workloads that the current windows and limits cannot restart before their deadline.")
    public static let apiRequests = MetricDescription(
        name: "token_warden_api_requests_total", kind: .counter, labels: ["verb", "code"],
        help: "Requests to the Kubernetes API server by verb and HTTP status code (<error> when no response).")
    public static let watchRestarts = MetricDescription(
        name: "token_warden_watch_restarts_total", kind: .counter, labels: ["resource"],
        help: "Watch streams re-established after they ended or failed, by resource.")
    public static let relists = MetricDescription(
        name: "token_warden_relists_total", kind: .counter, labels: ["resource"],
        help: "Full relists of a resource (initial sync, 410 Gone, or failed watch resume).")
    public static let tokenReloads = MetricDescription(
        name: "token_warden_token_reloads_total", kind: .counter, labels: ["result"],
        help: "Re-reads of the controller's own ServiceAccount token file, by result.")
    public static let leader = MetricDescription(
        name: "token_warden_leader", kind: .gauge, labels: [],
        help: "1 while this replica holds the leader lease, else 0.")
    public static let lastSuccessfulSync = MetricDescription(
        name: "token_warden_last_successful_sync_timestamp_seconds", kind: .gauge, labels: [],
        help: "Unix time of the last complete assessment of the cluster.")
    public static let auditEvents = MetricDescription(
        name: "token_warden_audit_events_total", kind: .counter, labels: ["evidence"],
        help: "Audit events received on the webhook, by evidence found (stale_token, legacy_token_invalidated, none).")
    public static let webhookRequests = MetricDescription(
        name: "token_warden_audit_webhook_requests_total", kind: .counter, labels: ["result"],
        help: "Requests to the audit webhook by result: accepted, or rejected (missing_credentials, invalid_token, untrusted_certificate, bad_request); a rejected batch records nothing.")
    public static let auditEventsDropped = MetricDescription(
        name: "token_warden_audit_events_dropped_total", kind: .counter, labels: ["reason"],
        help: "Stale-token evidence in authenticated batches that was not used, by reason (not_service_account: the event's user is not a ServiceAccount; unknown_pod: no cached pod has the uid).")
    public static let podsWithEvidence = MetricDescription(
        name: "token_warden_pods_with_evidence", kind: .gauge, labels: ["source"],
        help: "Pods the API server's audit events show presenting a stale token, by where this replica has it from (annotation: kept on the pod; webhook: received here, not yet on the pod), at the last assessment.")
    public static let evidenceSourceUp = MetricDescription(
        name: "token_warden_evidence_source_up", kind: .gauge, labels: [],
        help: "1 while the audit webhook took an authenticated batch within --evidence-max-silence, else 0 (restart-on: evidence then falls back to the estimate). Only with --audit-webhook.")
    public static let evidenceAnnotations = MetricDescription(
        name: "token_warden_evidence_annotations_total", kind: .counter, labels: ["result"],
        help: "Writes of stale-token evidence onto pods, by result (written, already_recorded, pod_replaced, dry_run, failed).")

    public static let eventsDropped = MetricDescription(
        name: "token_warden_events_dropped_total", kind: .counter, labels: [],
        help: "Kubernetes Events given up on: the retry queue for writes refused with 429, 5xx or no answer was full.")

    public static let clusterTokenLifetime = MetricDescription(
        name: "token_warden_cluster_token_lifetime_seconds", kind: .gauge, labels: ["source"],
        help: "The cluster-wide extended token lifetime in use (0: extension is off, restarts cannot help), by source (detected from the controller's own token, fallback, flag).")

    public static let eventToDecision = MetricDescription(
        name: "token_warden_event_to_decision_seconds", kind: .histogram, labels: [],
        help: "From a watch event's arrival in the caches to the end of the planning of the pass that took it into account.")
    public static let reconcilePass = MetricDescription(
        name: "token_warden_reconcile_pass_seconds", kind: .histogram, labels: [],
        help: "How long each reconcile pass took, from reading the caches to its last step; under a stream of changes the loop rests 19 times as long before the next one (at least 20 ms, at most 200 ms).")

    public static let all: [MetricDescription] = [
        pods, workloads, deadlineRemaining, restarts, evictions, deferredRestarts, forecastMisses,
        apiRequests, watchRestarts, relists, tokenReloads, leader, lastSuccessfulSync, auditEvents, webhookRequests,
        auditEventsDropped, podsWithEvidence, evidenceSourceUp, evidenceAnnotations, eventsDropped, clusterTokenLifetime,
        eventToDecision, reconcilePass,
    ]

    /// The README table (Markdown).
    public static func markdownTable() -> String {
        var lines = ["| metric | type | labels | meaning |", "|---|---|---|---|"]
        for metric in all {
            let labels = metric.labels.isEmpty ? "—" : metric.labels.map { "`\($0)`" }.joined(separator: ", ")
            lines.append("| `\(metric.name)` | \(metric.kind.rawValue) | \(labels) | \(metric.help) |")
        }
        return lines.joined(separator: "\n")
    }
}
