import Foundation
import KubeSim

/// The API server misbehaves: restarts, compaction, throttling, errors, slowness, stalls.
enum ServerFaultScenarios {
    static func baseline(_ load: LoadProfile) async throws -> ScenarioRow {
        let run = try ScenarioRun(name: "baseline", faults: "none (churn only)", load: load)
        try run.start()
        return await run.finish()
    }

    static func apiServerRestart(_ load: LoadProfile) async throws -> ScenarioRow {
        let run = try ScenarioRun(name: "api-server-restart", faults: "3 restarts mid-watch", load: load)
        try run.start()
        if await run.waitForFirstRestart() {
            run.faultInjected()
            for _ in 0..<3 {
                run.harness.sim.restart()
                try await Task.sleep(for: .milliseconds(500))
            }
        }
        return await run.finish()
    }

    static func goneStorm(_ load: LoadProfile) async throws -> ScenarioRow {
        let run = try ScenarioRun(name: "410-storm", faults: "10× compact + drop watches", load: load)
        try run.start()
        if await run.waitForFirstRestart() {
            run.faultInjected()
            for _ in 0..<10 {
                run.harness.sim.compact()
                run.harness.sim.dropWatches()
                try await Task.sleep(for: .milliseconds(300))
            }
        }
        return await run.finish()
    }

    static func tooManyRequests(_ load: LoadProfile) async throws -> ScenarioRow {
        let run = try ScenarioRun(name: "429-every-verb", faults: "30× 429 Retry-After 1 s, all verbs", load: load)
        try run.start()
        if await run.waitForFirstRestart() {
            run.faultInjected()
            run.harness.sim.faults.inject(.init(code: 429, count: 30, retryAfterSeconds: 1))
        }
        let row = await run.finish()
        return row
    }

    static func serverErrors(_ load: LoadProfile) async throws -> ScenarioRow {
        let run = try ScenarioRun(name: "500-503-bursts", faults: "20× 500 + 20× 503 Retry-After 1 s", load: load)
        try run.start()
        if await run.waitForFirstRestart() {
            run.faultInjected()
            run.harness.sim.faults.inject(.init(code: 500, count: 20))
            try await Task.sleep(for: .seconds(1))
            run.harness.sim.faults.inject(.init(code: 503, count: 20, retryAfterSeconds: 1))
        }
        return await run.finish()
    }

    static func slowAndStalled(_ load: LoadProfile) async throws -> ScenarioRow {
        let run = try ScenarioRun(name: "slow-stalled-dropped", faults: "50 ms latency, 3 s stall, drop after 300 events",
                                  load: load)
        run.harness.sim.faults.latency = 0.05
        run.harness.sim.faults.dropWatchesAfterEvents = 300
        run.faultInjected()
        try run.start()
        if await run.waitForFirstRestart() {
            run.harness.sim.faults.stallWatches = true
            try await Task.sleep(for: .seconds(3))
            run.harness.sim.faults.stallWatches = false
        }
        return await run.finish()
    }

    /// The server's clock runs 20 days ahead of the controller's node. Ages on the server's clock
    /// put the at-risk workloads inside restart-before; on the node's clock none would be.
    static func clockSkew(_ load: LoadProfile) async throws -> ScenarioRow {
        let run = try ScenarioRun(name: "clock-skew", faults: "server Date +20 d vs the node", load: load,
                                  serverClockSkewSeconds: 20 * 86_400)
        run.faultInjected()
        let replica = try run.start()
        let row = await run.finish()
        var checked = row
        let offset = replica.runtime.client.serverClockOffsetSeconds
        if abs(offset - 20 * 86_400) > 5 { checked.failures.append("server clock offset \(offset) s, expected 20 d") }
        return checked
    }
}
