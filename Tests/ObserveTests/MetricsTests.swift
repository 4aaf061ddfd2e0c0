import Testing
@testable import Observe

@Suite struct MetricsTests {
    private func text(_ metrics: WardenMetrics) -> String { String(decoding: metrics.exposition(), as: UTF8.self) }

    @Test func expositionContainsEverySeriesAfterCalls() {
        let metrics = WardenMetrics()
        metrics.setPodCounts([.ok: 40, .atRisk: 3, .confirmedStale: 1])
        metrics.setWorkloadCounts([.ok: 10, .expired: 2])
        metrics.recordRestart(kind: "Deployment", result: .succeeded)
        metrics.recordRestart(kind: "Deployment", result: .succeeded)
        metrics.recordEviction(kind: "ReplicationController", result: .blocked)
        metrics.recordDeferredRestart(cause: .maintenanceWindow)
        metrics.setForecastMisses(2)
        metrics.recordAPIRequest(verb: "list", code: 200)
        metrics.recordAPIRequest(verb: "patch", code: nil)
        metrics.recordWatchRestart(resource: "pods")
        metrics.recordRelist(resource: "pods")
        metrics.recordTokenReload(succeeded: true)
        metrics.setLeader(true)
        metrics.setLastSuccessfulSync(unixSeconds: 1_795_460_141)
        metrics.recordAuditEvents(.staleToken, count: 3)

        let page = text(metrics)
        let expected = [
            #"token_warden_pods{classification="ok"} 40"#,
            #"token_warden_pods{classification="at_risk"} 3"#,
            #"token_warden_pods{classification="confirmed_stale"} 1"#,
            #"token_warden_pods{classification="invalidated"} 0"#,
            #"token_warden_workloads{classification="expired"} 2"#,
            #"token_warden_restarts_total{kind="Deployment",result="succeeded"} 2"#,
            #"token_warden_evictions_total{kind="ReplicationController",result="blocked"} 1"#,
            #"token_warden_deferred_restarts_total{cause="maintenance_window"} 1"#,
            "token_warden_forecast_misses 2",
            #"token_warden_api_requests_total{verb="list",code="200"} 1"#,
            #"token_warden_api_requests_total{verb="patch",code="<error>"} 1"#,
            #"token_warden_watch_restarts_total{resource="pods"} 1"#,
            #"token_warden_relists_total{resource="pods"} 1"#,
            #"token_warden_token_reloads_total{result="success"} 1"#,
            #"token_warden_token_reloads_total{result="failure"} 0"#,
            "token_warden_leader 1",
            "token_warden_last_successful_sync_timestamp_seconds 1795460141",
            #"token_warden_audit_events_total{evidence="stale_token"} 3"#,
            "# TYPE token_warden_restarts_total counter",
            "# TYPE token_warden_pods gauge",
            "# HELP token_warden_leader 1 while this replica holds the leader lease, else 0.",
        ]
        let lines = Set(page.split(separator: "\n").map(String.init))
        for line in expected {
            // Floating gauges may render as `1795460141.0`: accept either.
            #expect(lines.contains(line) || lines.contains(line + ".0"), "missing: \(line)")
        }
    }

    @Test func deadlineSeriesAreBoundedAndStaleSeriesRemoved() {
        let metrics = WardenMetrics(deadlineSelection: DeadlineSeriesSelection(nextEarliest: 2, maximumSeries: 100))
        var deadlines = (0..<50).map {
            WorkloadDeadline(namespace: "ns", kind: "Deployment", name: "ok-\($0)", secondsRemaining: Double(1_000_000 + $0), needsRestart: false)
        }
        deadlines.append(WorkloadDeadline(namespace: "shop", kind: "StatefulSet", name: "db", secondsRemaining: -60, needsRestart: true))
        deadlines.append(WorkloadDeadline(namespace: "shop", kind: "Deployment", name: "web", secondsRemaining: 3600, needsRestart: true))
        metrics.setWorkloadDeadlines(deadlines)
        #expect(metrics.deadlineSeriesCount == 4)
        var page = text(metrics)
        #expect(page.contains(#"token_warden_workload_deadline_remaining_seconds{namespace="shop",kind="StatefulSet",name="db"} -60"#))
        #expect(page.contains(#"name="ok-0"} 1000000"#))
        #expect(page.contains(#"name="ok-1"} 1000001"#))
        #expect(!page.contains(#"name="ok-2""#))

        // `db` was restarted and left the set; its series disappears.
        metrics.setWorkloadDeadlines(Array(deadlines.dropLast(2)) + [deadlines.last!])
        page = text(metrics)
        #expect(metrics.deadlineSeriesCount == 3)
        #expect(!page.contains(#"name="db""#))
        #expect(page.contains(#"name="web""#))
    }

    @Test func selectionCapsAtRiskSeries() {
        let selection = DeadlineSeriesSelection(nextEarliest: 5, maximumSeries: 3)
        let deadlines = (0..<10).map {
            WorkloadDeadline(namespace: "n", kind: "Deployment", name: "w\($0)", secondsRemaining: Double(10 - $0), needsRestart: true)
        }
        #expect(selection.select(deadlines).map(\.name) == ["w9", "w8", "w7"])
    }

    @Test func droppedEventsFollowTheRecordersTotal() {
        let metrics = WardenMetrics()
        for total in [0, 1, 3, 2, 3] { metrics.recordEventsDropped(total: total) }
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        #expect(text.contains("token_warden_events_dropped_total 3"))
    }

    @Test func readmeTableListsEveryMetric() {
        let table = MetricCatalog.markdownTable()
        for metric in MetricCatalog.all {
            #expect(table.contains("`\(metric.name)`"))
            #expect(metric.name.hasPrefix("token_warden_"))
            if metric.kind == .counter { #expect(metric.name.hasSuffix("_total")) }
        }
    }
}
