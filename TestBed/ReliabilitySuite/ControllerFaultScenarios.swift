import Foundation
import KubeSim

/// The controller or its workloads misbehave: killed replicas, lost leaders, PDBs that never
/// allow an eviction, workloads that vanish mid-restart, annotations that make no sense.
enum ControllerFaultScenarios {
    static func killedMidRollout(_ load: LoadProfile) async throws -> ScenarioRow {
        let run = try ScenarioRun(name: "killed-mid-rollout", faults: "replica SIGKILLed after its first patch", load: load)
        var options = run.options
        options.identity = "first"
        let first = try run.start(options)
        if await run.waitForFirstRestart() {
            run.faultInjected()
            run.check(await first.stop(gracefully: false), "the killed replica's task did not end within 60 s")
            options.identity = "second"
            try run.start(options)
        }
        return await run.finish()
    }

    static func leaderKilled(_ load: LoadProfile) async throws -> ScenarioRow {
        let run = try ScenarioRun(name: "leader-killed", faults: "2 replicas, leader SIGKILLed mid-rollout", load: load)
        var options = run.leaderOptions(identity: "left")
        let left = try run.start(options)
        options.identity = "right"
        let right = try run.start(options)
        var survivor = right
        if await run.waitForFirstRestart() {
            let (leader, follower) = left.runtime.isLeader ? (left, right) : (right, left)
            run.check(leader.runtime.isLeader != follower.runtime.isLeader, "not exactly one leader")
            run.faultInjected()
            run.check(await leader.stop(gracefully: false), "the killed leader's task did not end within 60 s")
            survivor = follower
            let took = await run.harness.wait(seconds: 15) { follower.runtime.isLeader }
            run.check(took, "the follower never took over")
        }
        return await run.finish(observer: survivor)
    }

    static func pdbNeverAllows(_ load: LoadProfile) async throws -> ScenarioRow {
        let run = try ScenarioRun(name: "pdb-never-allows", faults: "RC behind a PDB with 0 disruptions allowed", load: load, extra: { s in
            s.namespace("legacy")
            s.replicationController("legacy", "stuck", replicas: 2, ageDays: 370)
            s.podDisruptionBudget("legacy", "stuck", app: "stuck", minAvailable: 2, currentHealthy: 2)
        })
        var options = run.options
        options.evictTimeoutSeconds = 3
        run.faultInjected()
        try run.start(options)
        let reported = await run.harness.wait(seconds: load.deadlineSeconds) {
            let blocked = Set(run.harness.events("EvictionBlocked") + run.harness.events("RestartFailed"))
            return blocked.contains("legacy/stuck")
        }
        run.check(reported, "no EvictionBlocked/RestartFailed Event for legacy/stuck")
        let row = await run.finish()
        var checked = row
        let evicted = run.harness.successfulEvictions().filter { $0.hasPrefix("legacy/") }
        if !evicted.isEmpty {
            checked.breaches += 1
            checked.failures.append("PDB breached: \(evicted.count) pods evicted")
        }
        return checked
    }

    static func deletedOrScaledMidRestart(_ load: LoadProfile) async throws -> ScenarioRow {
        let run = try ScenarioRun(name: "deleted-scaled-mid-restart", faults: "1st restarted workload deleted, 2nd scaled to 0",
                                  load: load)
        try run.start()
        let store = run.harness.sim.store
        var handled: [String] = []
        let deadline = ContinuousClock.now + .seconds(Int(load.deadlineSeconds))
        while handled.count < 2, ContinuousClock.now < deadline {
            for key in run.harness.restartPatches() where !handled.contains(key) && handled.count < 2 {
                let parts = key.split(separator: "/").map(String.init)
                if handled.isEmpty {
                    run.faultInjected()
                    try store.delete(ResourceCatalog.deployments, namespace: parts[0], name: parts[1])
                } else {
                    try store.modify(ResourceCatalog.deployments, namespace: parts[0], name: parts[1]) { value throws(StatusError) in
                        value.set(.int(0), at: ["spec", "replicas"])
                    }
                }
                handled.append(key)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        run.check(handled.count == 2 || load.atRisk < 2, "fewer than two restarts to interfere with")
        run.awaited = run.expected.subtracting(handled)
        run.unmeasured = Set(handled)
        return await run.finish()
    }

    /// Garbage in every annotation, on healthy workloads (which must not be restarted because of
    /// it) and on one namespace holding an at-risk workload (whose flags' defaults then apply).
    static func malformedAnnotations(_ load: LoadProfile) async throws -> ScenarioRow {
        let garbage: [[String: String]] = [
            ["token-warden.dev/mode": "yes please"],
            ["token-warden.dev/token-lifetime": "-5d"],
            ["token-warden.dev/token-lifetime": "0d"],
            ["token-warden.dev/token-lifetime": "99999999999999999999999d"],
            ["token-warden.dev/restart-before": "9223372036854775807s"],
            ["token-warden.dev/restart-before": "abc"],
            ["token-warden.dev/tokens-invalid-before": "2026-13-45T99:99:99Z"],
            ["token-warden.dev/strategy": "explode"],
            ["token-warden.dev/maintenance-window": "Mon-Fri 25:00-26:00 UTC"],
            ["token-warden.dev/maintenance-window": "Mon-Fri 02:00-05:00 Mars/Olympus_Mons"],
            ["token-warden.dev/maintenance-window": ";;;"],
            ["token-warden.dev/token-lifetime": "\u{0}\u{FFFF}🙃", "token-warden.dev/restart-before": String(repeating: "9", count: 5000)],
        ]
        let run = try ScenarioRun(name: "malformed-annotations", faults: "\(garbage.count) kinds of bad annotation", load: load,
                                  healthyAnnotations: { index in index % 3 == 0 ? garbage[(index / 3) % garbage.count] : [:] }) { s in
            s.namespace("odd", annotations: [
                "token-warden.dev/mode": "sometimes", "token-warden.dev/restart-before": "-1d",
                "token-warden.dev/maintenance-window": "Mon-Fri 02:00-05:00 Mars/Olympus_Mons",
            ])
            s.deployment("odd", "risk-odd", replicas: 2, ageDays: 350)
            s.deployment("odd", "fine-odd", replicas: 2, ageDays: 3, annotations: ["token-warden.dev/token-lifetime": "1x"])
        }
        run.expected.insert("odd/risk-odd")
        run.awaited = run.expected
        try run.start()
        let warned = await run.harness.wait(seconds: 20) { run.harness.events("InvalidAnnotation").count >= 3 }
        run.check(warned, "no InvalidAnnotation Events for the bad annotations")
        return await run.finish()
    }
}
