import Controller
import Foundation
import KubeSim
import Observe
import Plan

/// Acting under failure at full load: custom owners that must complete, a PDB that never allows
/// the eviction, a token that may not patch, a restarted controller, a lease that stalls.
/// Request budgets are counted in the simulator's request log.
enum ActingUnderFailureScenarios {
    /// Short waits so several rounds fit in a row's time (the defaults are 5 s … 10 min).
    static let fastBackoff = BackoffPolicy(initial: 1, maximum: 3, giveUpMinimum: 3, giveUpMaximum: 4)

    static func customOwners(_ load: LoadProfile) async throws -> ScenarioRow {
        let run = try ScenarioRun(name: "custom-owners", faults: "CloneSet- and Argo-Rollout-owned pods (replaced under new names)",
                                  load: load, extra: { s in
            s.namespace("kruise")
            s.customOwnedPods("kruise", "clones", apiVersion: "apps.kruise.io/v1alpha1", kind: "CloneSet", replicas: 2, ageDays: 362)
            s.deployment("kruise", "next", replicas: 1, ageDays: 341)
            s.namespace("argo")
            s.argoRollout("argo", "canary", replicas: 2, ageDays: 362)
            s.deployment("argo", "after", replicas: 1, ageDays: 341)
        })
        run.expected.formUnion(["kruise/next", "argo/after"])
        run.awaited = run.expected.union(["kruise/clones", "argo/canary"])
        run.faultInjected()
        try run.start()
        let row = await run.finish()
        var checked = row
        for owner in ["kruise/clones", "argo/canary"] where run.harness.events("RestartCompleted").filter({ $0 == owner }).count != 1 {
            checked.failures.append("\(owner): not exactly one RestartCompleted")
        }
        return checked
    }

    /// The real-cluster case: a PDB that never allows the eviction, --evict-timeout 4 s.
    static func pdbGivesUp(_ load: LoadProfile) async throws -> ScenarioRow {
        let run = try ScenarioRun(name: "pdb-gives-up", faults: "PDB never allows; --evict-timeout 4 s; retried after backoff", load: load,
                                  extra: { s in
            s.namespace("legacy")
            s.replicationController("legacy", "blocked", replicas: 2, ageDays: 370)
            s.podDisruptionBudget("legacy", "blocked", app: "blocked", minAvailable: 2, currentHealthy: 2)
        })
        var options = run.options
        options.evictTimeoutSeconds = 4
        options.backoff = fastBackoff
        run.faultInjected()
        let started = ContinuousClock.now
        try run.start(options)
        let gaveUp = await run.harness.wait(seconds: 30) { run.harness.events("RolloutTimedOut").contains("legacy/blocked") }
        run.check(gaveUp, "no give-up Event (RolloutTimedOut) for legacy/blocked")
        let retried = await run.harness.wait(seconds: 30) {
            run.harness.sim.requestLog.all.filter { $0.verb == "patch" && $0.resource == "replicationcontrollers" }.count >= 3
        }
        run.check(retried, "legacy/blocked was not tried again after its backoff")
        let row = await run.finish()
        var checked = row
        let seconds = Double((ContinuousClock.now - started).components.seconds) + 1
        let evictions = run.harness.sim.requestLog.all.filter { $0.subresource == "eviction" && $0.namespace == "legacy" }
        if evictions.contains(where: { $0.code < 300 }) {
            checked.breaches += 1
            checked.failures.append("PDB breached")
        }
        // Waits of 1, 2, 3 s within each 4 s sequence and 3–4 s after each give-up.
        if Double(evictions.count) > seconds / 1.5 + 2 { checked.failures.append("\(evictions.count) evictions in \(Int(seconds)) s: over budget") }
        return checked
    }

    /// A token without `patch` on statefulsets, under the load's churn: announced once, retried per backoff.
    static func refusedPatch(_ load: LoadProfile) async throws -> ScenarioRow {
        let run = try ScenarioRun(name: "refused-patch", faults: "403 on every statefulset patch, pod churn", load: load, extra: { s in
            s.namespace("db")
            s.statefulSet("db", "pg", replicas: 1, ageDays: 350)
        })
        var options = run.options
        options.backoff = fastBackoff
        run.harness.sim.faults.inject(.init(code: 403, verbs: ["patch"], resources: ["statefulsets"], retryAfterSeconds: 0))
        run.faultInjected()
        let started = ContinuousClock.now
        try run.start(options)
        let row = await run.finish()  // the load's Deployments restart meanwhile
        var checked = row
        let seconds = Double((ContinuousClock.now - started).components.seconds) + 1
        let patches = run.harness.sim.requestLog.all.filter { $0.verb == "patch" && $0.resource == "statefulsets" }.count
        if patches == 0 || Double(patches) > seconds / 3 + 1 { checked.failures.append("\(patches) refused patches in \(Int(seconds)) s") }
        if run.harness.events("RestartFailed").filter({ $0 == "db/pg" }).count != 1 { checked.failures.append("db/pg: not one RestartFailed Event") }
        return checked
    }

    /// Completion survives processes: a second controller after the first finished announces and counts nothing.
    static func restartedController(_ load: LoadProfile) async throws -> ScenarioRow {
        let run = try ScenarioRun(name: "restarted-controller", faults: "controller restarted after its restarts completed", load: load)
        var options = run.options
        options.identity = "first"
        let first = try run.start(options)
        let done = await run.harness.wait(seconds: load.deadlineSeconds) { run.harness.finished(run.awaited) }
        run.check(done, "the first process did not finish")
        do { try await Task.sleep(for: .seconds(1)) } catch {}  // completion recorded on the workloads
        run.check(await first.stop(), "the first replica did not stop")
        let announced = completions(run.harness)
        run.faultInjected()
        options.identity = "second"
        let metrics = WardenMetrics()
        options.metrics = metrics
        try run.start(options)
        do { try await Task.sleep(for: .seconds(3)) } catch {}
        let row = await run.finish()
        var checked = row
        if completions(run.harness) != announced { checked.failures.append("RestartCompleted announced again by the new process") }
        if String(decoding: metrics.exposition(), as: UTF8.self).contains("result=\"succeeded\"") {
            checked.failures.append("the new process counted restarts it did not make")
        }
        return checked
    }

    /// Lease renewals stall mid-restart: the leader writes nothing once its renew deadline passed.
    static func leaseStalls(_ load: LoadProfile) async throws -> ScenarioRow {
        let run = try ScenarioRun(name: "lease-stalls", faults: "lease requests answered 3 s late mid-restart", load: load)
        var options = run.leaderOptions(identity: "a")
        let a = try run.start(options)
        if await run.waitForFirstRestart() {
            run.faultInjected()
            run.harness.sim.faults.setLatency(3, resource: "leases")
            do { try await Task.sleep(for: .milliseconds(1300)) } catch {}
            let late = await run.writes(overSeconds: 2)
            run.check(late == 0, "\(late) writes after the renew deadline passed")
            run.check(await a.stop(gracefully: false), "the stalled replica did not stop")
            run.harness.sim.faults.setLatency(0, resource: "leases")
            options.identity = "b"
            try run.start(options)
        }
        return await run.finish()
    }

    /// Every watch closed at once without an event for 10 s: the reflectors back off (client-go's
    /// short-watch guard) instead of reconnecting in a tight loop, and catch up afterwards.
    static func shortWatches(_ load: LoadProfile) async throws -> ScenarioRow {
        let run = try ScenarioRun(name: "short-watches", faults: "every watch closed at once, no events, for 10 s", load: load)
        try run.start()
        do { try await Task.sleep(for: .seconds(2)) } catch {}  // synced and watching
        let before = run.harness.sim.requestLog.all.filter { $0.verb == "watch" }.count
        run.faultInjected()
        run.harness.sim.faults.closeWatchesAtOnce = true
        do { try await Task.sleep(for: .seconds(10)) } catch {}
        run.harness.sim.faults.closeWatchesAtOnce = false
        let watches = run.harness.sim.requestLog.all.filter { $0.verb == "watch" }.count - before
        // Eight reflectors, waits doubling from 0.8 s to 30 s: about 4 each in 10 s (a tight loop: thousands).
        run.check(watches <= 8 * 6, "\(watches) watches in 10 s")
        return await run.finish()
    }

    /// RestartCompleted Events, repeats (count) included.
    static func completions(_ harness: ReliabilityHarness) -> Int {
        harness.sim.store.objects(ResourceCatalog.events).filter { $0.value["reason"]?.stringValue == "RestartCompleted" }
            .map { Int($0.value["count"]?.intValue ?? 1) }.reduce(0, +)
    }
}
