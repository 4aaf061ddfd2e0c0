import Foundation
import KubeSim
import Testing

/// Fencing when another identity takes the lease (rather than renewals stalling): the replica
/// learns it at its next renewal attempt and writes nothing after that; the new holder finishes
/// the work without repeating a restart.
@Suite struct LeaseTakenOverTests {
    @Test func aReplicaWhoseLeaseIsTakenWritesNothingAfterItsNextRenewal() async throws {
        let harness = try ScenarioHarness { s in
            s.namespace("default")
            s.namespace("shop")
            for i in 0..<4 { s.deployment("shop", "web-\(i)", replicas: 1, ageDays: 350 - Double(i)) }
        }
        defer { harness.stop() }
        let a = try harness.start(try harness.runtime(identity: "a", maxConcurrent: 1, perNamespace: 1, leaderElection: true))
        #expect(try await harness.wait(seconds: 20) { a.runtime.isLeader && !harness.restartPatches().isEmpty })

        // Identity "b" takes the lease in the store, as another replica whose clock ran ahead would.
        try harness.sim.store.modify(ResourceCatalog.leases, namespace: "default", name: "token-warden") { value throws(StatusError) in
            value.set(.string("b"), at: ["spec", "holderIdentity"])
            value.set(.string(ISO8601DateFormatter.microseconds(Date().timeIntervalSince1970 + 30)), at: ["spec", "renewTime"])
            value.set(30, at: ["spec", "leaseDurationSeconds"])
        }
        // The next renewal attempt comes within the retry period (0.2 s); allow one write already on the wire.
        #expect(try await harness.wait(seconds: 5) { !a.runtime.isLeader })
        try await Task.sleep(for: .milliseconds(300))
        let logged = harness.sim.requestLog.all.count
        try await Task.sleep(for: .seconds(3))
        let late = harness.sim.requestLog.all.dropFirst(logged).filter { !["get", "list", "watch"].contains($0.verb) && $0.resource != "leases" }
        #expect(late.isEmpty, "writes after the lease was lost: \(late)")
        let before = harness.restartPatches()
        #expect(before.count < 4, "the takeover came too late to show anything")
        await a.stop(gracefully: false)

        // The new holder renews its own lease and finishes, with no restart repeated.
        let b = try harness.start(try harness.runtime(identity: "b", maxConcurrent: 1, perNamespace: 1, leaderElection: true))
        let done = try await harness.wait(seconds: 60) { harness.completed(["shop/web-0", "shop/web-1", "shop/web-2", "shop/web-3"]) }
        await b.stop()
        #expect(done)
        #expect(harness.restartPatches().sorted() == ["shop/web-0", "shop/web-1", "shop/web-2", "shop/web-3"])
    }
}
