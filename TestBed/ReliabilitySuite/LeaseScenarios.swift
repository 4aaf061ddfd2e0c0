import Assess
import Controller
import Foundation
import KubeSim
import Observe
import Plan

/// What the leader keeps on its Lease and what a change of leader must not undo: the failure
/// memory survives it (no retry burst), completions are not announced again, and a replica whose
/// lease is taken writes nothing more. Counted in the simulator's request log.
enum LeaseScenarios {
    /// A refused patch, then a change of leader: the Lease carries the backoff (what `report`
    /// shows), and the new leader takes it over instead of trying again at once.
    static func backoffOnLease(_ load: LoadProfile) async throws -> ScenarioRow {
        let run = try ScenarioRun(name: "backoff-on-lease", faults: "403 on every statefulset patch, then a change of leader", load: load,
                                  extra: { s in
            s.namespace("db")
            s.statefulSet("db", "pg", replicas: 1, ageDays: 350)
        })
        var options = run.leaderOptions(identity: "a")
        run.harness.sim.faults.inject(.init(code: 403, verbs: ["patch"], resources: ["statefulsets"], retryAfterSeconds: 0))
        run.faultInjected()
        let a = try run.start(options)
        let published = await run.harness.wait(seconds: 60) { record(run.harness)?[pg] != nil }
        run.check(published, "no backoff for db/pg on the Lease")
        if let entry = record(run.harness)?[pg] {
            run.check(entry.until.seconds > Int64(Date().timeIntervalSince1970) + 300, "db/pg backs off only until \(entry.until.rfc3339)")
            run.check(entry.reason != nil && entry.cause.contains("403"), "the record lacks the server's Status: \(entry.cause)")
        }
        run.check(await a.stop(), "the first leader did not stop")
        options.identity = "b"
        let b = try run.start(options)
        run.check(await run.harness.wait(seconds: 15) { b.runtime.isLeader }, "the second replica never led")
        do { try await Task.sleep(for: .seconds(3)) } catch {}  // many passes of the new leader
        let row = await run.finish()
        var checked = row
        let patches = run.harness.sim.requestLog.all.filter { $0.verb == "patch" && $0.resource == "statefulsets" }.count
        if patches != 1 { checked.failures.append("\(patches) statefulset patches: the new leader did not keep the backoff") }
        return checked
    }

    /// Another identity takes the lease mid-restart: the replica writes nothing after it learns
    /// it (its next renewal or write), and the new holder finishes without a duplicate.
    static func leaseTaken(_ load: LoadProfile) async throws -> ScenarioRow {
        let run = try ScenarioRun(name: "lease-taken", faults: "the lease taken by another identity mid-restart", load: load)
        var options = run.leaderOptions(identity: "a")
        let a = try run.start(options)
        if await run.waitForFirstRestart() {
            run.faultInjected()
            do {
                try run.harness.sim.store.modify(ResourceCatalog.leases, namespace: "default", name: "token-warden") { value throws(StatusError) in
                    value.set(.string("b"), at: ["spec", "holderIdentity"])
                    value.set(.string(microseconds(Date().timeIntervalSince1970 + 30)), at: ["spec", "renewTime"])
                    value.set(30, at: ["spec", "leaseDurationSeconds"])
                }
            } catch {
                run.check(false, "the lease could not be taken: \(error)")
            }
            run.check(await run.harness.wait(seconds: 5) { !a.runtime.isLeader }, "the replica never noticed")
            do { try await Task.sleep(for: .milliseconds(300)) } catch {}  // a write already on the wire
            let late = await run.writes(overSeconds: 2)
            run.check(late == 0, "\(late) writes after the lease was taken")
            run.check(await a.stop(gracefully: false), "the replica did not stop")
            options.identity = "b"
            try run.start(options)
        }
        return await run.finish()
    }

    /// A change of leader after the restarts completed: the new leader announces and counts nothing again.
    static func leaderChange(_ load: LoadProfile) async throws -> ScenarioRow {
        let run = try ScenarioRun(name: "leader-change", faults: "a change of leader after the restarts completed", load: load)
        var options = run.leaderOptions(identity: "a")
        let a = try run.start(options)
        run.check(await run.harness.wait(seconds: load.deadlineSeconds) { run.harness.finished(run.awaited) }, "the first leader did not finish")
        do { try await Task.sleep(for: .seconds(1)) } catch {}  // completion recorded on the workloads
        run.check(await a.stop(), "the first leader did not stop")
        let announced = ActingUnderFailureScenarios.completions(run.harness)
        run.faultInjected()
        options.identity = "b"
        let metrics = WardenMetrics()
        options.metrics = metrics
        let b = try run.start(options)
        run.check(await run.harness.wait(seconds: 15) { b.runtime.isLeader }, "the second replica never led")
        do { try await Task.sleep(for: .seconds(3)) } catch {}
        let row = await run.finish()
        var checked = row
        if ActingUnderFailureScenarios.completions(run.harness) != announced { checked.failures.append("RestartCompleted announced again by the new leader") }
        if String(decoding: metrics.exposition(), as: UTF8.self).contains("result=\"succeeded\"") {
            checked.failures.append("the new leader counted restarts it did not make")
        }
        return checked
    }

    static let pg = WorkloadID(kind: .statefulSet, namespace: "db", name: "pg")

    /// The failure memory as the leader published it on the Lease (nil: none, or not readable).
    static func record(_ harness: ReliabilityHarness) -> [WorkloadID: FailureMemory.Entry]? {
        guard let text = harness.sim.store.get(ResourceCatalog.leases, namespace: "default", name: "token-warden")?
            .value.value(at: ["metadata", "annotations", FailureRecord.leaseAnnotation])?.stringValue
        else { return nil }
        do {
            return try FailureRecord.decode(text)
        } catch {
            return nil  // reported as "no backoff on the Lease" by the caller
        }
    }

    /// A Lease's MicroTime.
    static func microseconds(_ unixSeconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: unixSeconds)).replacingOccurrences(of: "Z", with: "000Z")
    }
}
