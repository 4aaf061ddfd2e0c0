import CoreMetrics  // MetricsSystem.bootstrap
import Prometheus
import Synchronization

/// The controller's metrics, with typed methods: no metric name or label key appears outside
/// `MetricCatalog`. Backed by a `PrometheusCollectorRegistry` (so every family has its HELP text
/// and series can be removed); `bootstrapMetricsSystem()` points swift-metrics at the same
/// registry so libraries using the swift-metrics API land in the same `/metrics` page.
public final class WardenMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let deadlineSelection: DeadlineSeriesSelection

    private struct SeriesKey: Hashable {
        let namespace: String
        let kind: String
        let name: String
    }

    private let deadlineSeries = Mutex<[SeriesKey: Prometheus.Gauge]>([:])
    private let forecastMissesGauge: Prometheus.Gauge
    private let leaderGauge: Prometheus.Gauge
    private let lastSyncGauge: Prometheus.Gauge
    private let eventsDroppedCounter: Prometheus.Counter
    private let eventsDroppedSeen = Mutex(0)
    private let clusterTokenLifetimeSeries = Mutex<(source: String, gauge: Prometheus.Gauge)?>(nil)
    private let eventToDecisionHistogram: DurationHistogram
    private let reconcilePassHistogram: DurationHistogram
    /// The per-classification series, made once: every pass sets them all, and a registry
    /// lookup builds and hashes the name and labels each time.
    private let podGauges: [TokenClassification: Prometheus.Gauge]
    private let workloadGauges: [TokenClassification: Prometheus.Gauge]
    private let evidenceGauges: [EvidenceSourceLabel: Prometheus.Gauge]

    /// Event → decision buckets: a pass is due 200 ms after a change, so most land under 0.5 s.
    static let eventToDecisionBuckets: [Duration] = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000].map { .milliseconds($0) }
    /// Pass buckets: an incremental pass takes a millisecond or less, a full one at 150k pods ~0.6 s.
    static let reconcilePassBuckets: [Duration] = [0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500].map { .microseconds(Int64($0 * 1000)) }

    public init(
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        deadlineSelection: DeadlineSeriesSelection = DeadlineSeriesSelection()
    ) {
        self.registry = registry
        self.deadlineSelection = deadlineSelection
        forecastMissesGauge = Self.gauge(registry, MetricCatalog.forecastMisses)
        leaderGauge = Self.gauge(registry, MetricCatalog.leader)
        lastSyncGauge = Self.gauge(registry, MetricCatalog.lastSuccessfulSync)
        eventsDroppedCounter = Self.counter(registry, MetricCatalog.eventsDropped)
        eventToDecisionHistogram = registry.makeDurationHistogram(
            descriptor: Self.descriptor(MetricCatalog.eventToDecision), buckets: Self.eventToDecisionBuckets)
        reconcilePassHistogram = registry.makeDurationHistogram(
            descriptor: Self.descriptor(MetricCatalog.reconcilePass), buckets: Self.reconcilePassBuckets)
        // Every classification has a series from the start, so alerts see 0 rather than nothing.
        var podGauges: [TokenClassification: Prometheus.Gauge] = [:], workloadGauges = podGauges
        for classification in TokenClassification.allCases {
            podGauges[classification] = Self.gauge(registry, MetricCatalog.pods, [classification.rawValue])
            workloadGauges[classification] = Self.gauge(registry, MetricCatalog.workloads, [classification.rawValue])
            podGauges[classification]?.set(to: 0)
            workloadGauges[classification]?.set(to: 0)
        }
        self.podGauges = podGauges
        self.workloadGauges = workloadGauges
        var evidenceGauges: [EvidenceSourceLabel: Prometheus.Gauge] = [:]
        for source in EvidenceSourceLabel.allCases {
            evidenceGauges[source] = Self.gauge(registry, MetricCatalog.podsWithEvidence, [source.rawValue])
        }
        self.evidenceGauges = evidenceGauges
        for result in ["success", "failure"] {
            _ = Self.counter(registry, MetricCatalog.tokenReloads, [result])
        }
        for result in WebhookRequestResult.allCases { _ = Self.counter(registry, MetricCatalog.webhookRequests, [result.rawValue]) }
    }

    /// Makes the swift-metrics API (`Counter(label:)`, …) export into this registry. Once per process.
    public func bootstrapMetricsSystem() {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }

    // MARK: Assessment

    /// Pods per classification from one assessment; classifications not given are set to 0.
    public func setPodCounts(_ counts: [TokenClassification: Int]) {
        for (classification, gauge) in podGauges { gauge.set(to: Double(counts[classification] ?? 0)) }
    }

    /// Workloads per classification from one assessment; classifications not given are set to 0.
    public func setWorkloadCounts(_ counts: [TokenClassification: Int]) {
        for (classification, gauge) in workloadGauges { gauge.set(to: Double(counts[classification] ?? 0)) }
    }

    /// Replaces the per-workload deadline series with the selection from `deadlines` (all workloads
    /// of the assessment may be passed). Series of workloads no longer selected are removed.
    public func setWorkloadDeadlines(_ deadlines: [WorkloadDeadline]) {
        let selected = deadlineSelection.select(deadlines)
        deadlineSeries.withLock { series in
            var keep: Set<SeriesKey> = []
            for deadline in selected {
                let key = SeriesKey(namespace: deadline.namespace, kind: deadline.kind, name: deadline.name)
                keep.insert(key)
                let gauge = series[key] ?? Self.gauge(registry, MetricCatalog.deadlineRemaining, [key.namespace, key.kind, key.name])
                series[key] = gauge
                gauge.set(to: deadline.secondsRemaining)
            }
            for (key, gauge) in series where !keep.contains(key) {
                registry.unregisterGauge(gauge)
                series[key] = nil
            }
        }
    }

    /// Number of deadline series currently exported.
    public var deadlineSeriesCount: Int { deadlineSeries.withLock { $0.count } }

    public func setForecastMisses(_ count: Int) { forecastMissesGauge.set(to: Double(count)) }

    public func setLastSuccessfulSync(unixSeconds: Double) { lastSyncGauge.set(to: unixSeconds) }

    // MARK: Acting

    public func recordRestart(kind: String, result: ActionResult) {
        Self.counter(registry, MetricCatalog.restarts, [kind, result.rawValue]).increment()
    }

    public func recordEviction(kind: String, result: ActionResult) {
        Self.counter(registry, MetricCatalog.evictions, [kind, result.rawValue]).increment()
    }

    public func recordDeferredRestart(cause: DeferralCause) {
        Self.counter(registry, MetricCatalog.deferredRestarts, [cause.rawValue]).increment()
    }

    /// The recorder's running total of dropped Events; the counter follows it.
    public func recordEventsDropped(total: Int) {
        let added = eventsDroppedSeen.withLock { seen -> Int in
            defer { seen = max(seen, total) }
            return max(0, total - seen)
        }
        if added > 0 { eventsDroppedCounter.increment(by: Int64(added)) }
    }

    public func setLeader(_ isLeader: Bool) { leaderGauge.set(to: isLeader ? 1 : 0) }

    // MARK: API client

    /// One API request; `code` nil when no HTTP response arrived (connection refused, timeout…).
    /// `verb` is the Kubernetes verb (get, list, watch, patch, create, delete…).
    public func recordAPIRequest(verb: String, code: Int?) {
        let codeLabel = code.map(String.init) ?? "<error>"
        Self.counter(registry, MetricCatalog.apiRequests, [verb, codeLabel]).increment()
    }

    public func recordWatchRestart(resource: String) {
        Self.counter(registry, MetricCatalog.watchRestarts, [resource]).increment()
    }

    public func recordRelist(resource: String) {
        Self.counter(registry, MetricCatalog.relists, [resource]).increment()
    }

    public func recordTokenReload(succeeded: Bool) {
        Self.counter(registry, MetricCatalog.tokenReloads, [succeeded ? "success" : "failure"]).increment()
    }

    /// The cluster-wide token lifetime in use (0 when extension is off); one series, whose
    /// `source` label follows the value's origin.
    public func setClusterTokenLifetime(seconds: Int64, source: String) {
        clusterTokenLifetimeSeries.withLock { series in
            if let previous = series, previous.source != source {
                registry.unregisterGauge(previous.gauge)
                series = nil
            }
            let gauge = series?.gauge ?? Self.gauge(registry, MetricCatalog.clusterTokenLifetime, [source])
            series = (source, gauge)
            gauge.set(to: Double(seconds))
        }
    }

    // MARK: Audit webhook

    public func recordAuditEvents(_ kind: AuditEvidenceKind, count: Int = 1) {
        guard count > 0 else { return }
        Self.counter(registry, MetricCatalog.auditEvents, [kind.rawValue]).increment(by: Int64(count))
    }

    public func recordWebhookRequest(_ result: WebhookRequestResult) {
        Self.counter(registry, MetricCatalog.webhookRequests, [result.rawValue]).increment()
    }

    public func recordAuditEventsDropped(_ reason: AuditEventDropReason, count: Int = 1) {
        guard count > 0 else { return }
        Self.counter(registry, MetricCatalog.auditEventsDropped, [reason.rawValue]).increment(by: Int64(count))
    }

    public func setPodsWithEvidence(_ counts: [EvidenceSourceLabel: Int]) {
        for (source, gauge) in evidenceGauges { gauge.set(to: Double(counts[source] ?? 0)) }
    }

    public func setEvidenceSourceUp(_ up: Bool) {
        Self.gauge(registry, MetricCatalog.evidenceSourceUp).set(to: up ? 1 : 0)
    }

    /// `result`: a `PodEvidenceWriter.Outcome` raw value.
    public func recordEvidenceAnnotation(result: String) {
        Self.counter(registry, MetricCatalog.evidenceAnnotations, [result]).increment()
    }

    /// How long each change drained by a pass waited for that pass's decisions.
    public func observeEventToDecision(_ waits: [Duration]) {
        for wait in waits { eventToDecisionHistogram.record(wait) }
    }

    public func observeReconcilePass(_ duration: Duration) {
        reconcilePassHistogram.record(duration)
    }

    // MARK: Exposition

    /// The Prometheus text exposition format (version 0.0.4).
    public func exposition() -> [UInt8] { registry.emitToBuffer() }

    public static let expositionContentType = "text/plain; version=0.0.4; charset=utf-8"

    // MARK: Registry access (names and help only from the catalog)

    private static func labels(_ metric: MetricDescription, _ values: [String]) -> [(String, String)] {
        precondition(values.count == metric.labels.count, "label values do not match \(metric.name)")
        return Array(zip(metric.labels, values))
    }

    /// The catalog name is complete already (`_total`, `_seconds` included), so no unit part is added.
    private static func descriptor(_ metric: MetricDescription) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: metric.name, unitName: "", helpText: metric.help)
    }

    @discardableResult
    private static func gauge(_ registry: PrometheusCollectorRegistry, _ metric: MetricDescription, _ values: [String] = []) -> Prometheus.Gauge {
        if metric.labels.isEmpty { return registry.makeGauge(descriptor: descriptor(metric)) }
        return registry.makeGauge(descriptor: descriptor(metric), labels: labels(metric, values))
    }

    private static func counter(_ registry: PrometheusCollectorRegistry, _ metric: MetricDescription, _ values: [String] = []) -> Prometheus.Counter {
        if metric.labels.isEmpty { return registry.makeCounter(descriptor: descriptor(metric)) }
        return registry.makeCounter(descriptor: descriptor(metric), labels: labels(metric, values))
    }
}
