import Foundation
import KubeSim
import Testing
import TestSupport

/// `report` over a fleet: two simulated clusters as two kubeconfig contexts (two files in
/// $KUBECONFIG, as kubectl merges them), one of them stopped.
@Suite(.serialized) struct FleetReportTests {
    /// A kubeconfig file whose only context, cluster and user are named after `name`.
    static func kubeconfig(_ sim: KubeSim, name: String, in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("\(name).yaml").path
        let text = Kubeconfig.yaml(server: sim.url, certificateAuthorityPEM: sim.certificateAuthorityPEM, token: sim.adminToken,
                                   user: "admin-\(name)", clusterName: name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func population(_ namespace: String, atRisk: Bool) -> [JSONValue] {
        var scenario = ScenarioBuilder(now: Int64(Date().timeIntervalSince1970))
        scenario.namespace(namespace)
        scenario.deployment(namespace, "web", replicas: 1, ageDays: atRisk ? 345 : 10)
        scenario.deployment(namespace, "api", replicas: 2, ageDays: 20)
        return scenario.objects
    }

    static func run(_ arguments: [String], kubeconfigs: [String]) async throws -> ChildProcess.Outcome {
        var environment = ProcessInfo.processInfo.environment
        environment["KUBECONFIG"] = kubeconfigs.joined(separator: ":")
        return try await ChildProcess.runAsync(try #require(TokenWardenBinary.url).path, arguments, environment: environment, timeoutSeconds: 120)
    }

    @Test("Two clusters, one stopped: a CLUSTER column, a summary per cluster, exit 2 only when all fail",
          .enabled(if: TokenWardenBinary.url != nil, "no token-warden binary next to the test runner"))
    func twoClustersOneStopped() async throws {
        let a = try SimServer.start(objects: Self.population("shop", atRisk: true))
        let b = try SimServer.start(objects: Self.population("mail", atRisk: false))
        defer { a.stop(); b.stop() }
        let dir = try SimServer.temporaryDirectory("fleet")
        let files = [try Self.kubeconfig(a, name: "alpha", in: dir), try Self.kubeconfig(b, name: "beta", in: dir)]

        // Both up.
        let both = try await Self.run(["report", "--context", "alpha", "--context", "beta", "-A"], kubeconfigs: files)
        #expect(both.status == 1, "\(both.errorOutput)")
        let lines = both.output.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("CLUSTER   NAMESPACE") == true)
        #expect(lines.contains { $0.hasPrefix("alpha ") && $0.contains("shop") && $0.contains("web") && $0.contains("AtRisk") })
        #expect(lines.contains { $0.hasPrefix("beta ") && $0.contains("mail") && $0.contains("web") && $0.contains("OK") })
        // Each cluster's own summary, with the token lifetime it was judged by (no controller
        // published one on these clusters: 365d, and why).
        #expect(lines.contains { $0.hasPrefix("cluster alpha: 2 workloads: 1 at risk, 1 ok; token lifetime 365d assumed (no Lease token-warden/token-warden") })
        #expect(lines.contains { $0.hasPrefix("cluster beta: 2 workloads: 2 ok; token lifetime 365d assumed") })
        #expect(lines.last == "2 clusters: 2 read")
        // Most urgent first across the fleet.
        #expect(lines.dropFirst().first?.hasPrefix("alpha ") == true)

        // --all-contexts finds the same two.
        let all = try await Self.run(["report", "--all-contexts", "-A", "-o", "json"], kubeconfigs: files)
        #expect(all.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(all.stdout)) as? [String: Any])
        #expect(document["kind"] as? String == "FleetTokenReport")
        let clusters = document["clusters"] as? [[String: Any]] ?? []
        #expect(clusters.map { $0["context"] as? String } == ["alpha", "beta"])
        #expect(clusters.allSatisfy { $0["read"] as? Bool == true && ($0["report"] as? [String: Any])?["kind"] as? String == "TokenReport" })

        // alpha stops: beta is still reported, alpha's failure too; the exit status is beta's.
        a.stop()
        let one = try await Self.run(["report", "--context", "alpha", "--context", "beta", "-A"], kubeconfigs: files)
        #expect(one.status == 0, "\(one.output)")
        #expect(one.output.contains("beta "))
        #expect(!one.output.split(separator: "\n").contains { $0.hasPrefix("alpha ") })
        #expect(one.output.contains("cluster alpha: not read: ") && one.output.contains("Couldn't connect to server"))
        #expect(one.output.contains("cluster beta: 2 workloads: 2 ok"))
        #expect(one.output.contains("2 clusters: 1 read, 1 not read"))
        #expect(one.errorOutput.contains("error: context alpha:"))

        // Both stopped: exit 2.
        b.stop()
        let none = try await Self.run(["report", "--context", "alpha", "--context", "beta", "-A", "-o", "json"], kubeconfigs: files)
        #expect(none.status == 2)
        let failed = try #require(try JSONSerialization.jsonObject(with: Data(none.stdout)) as? [String: Any])
        #expect((failed["summary"] as? [String: Any])?["failed"] as? Int == 2)
        let clustersFailed = failed["clusters"] as? [[String: Any]] ?? []
        #expect(clustersFailed.allSatisfy { $0["read"] as? Bool == false && ($0["error"] as? String)?.isEmpty == false && $0["report"] is NSNull })

        // A context the kubeconfig does not define is one more cluster not read, with the reason.
        let typo = try await Self.run(["report", "--context", "beta", "--context", "gamma", "-A"], kubeconfigs: files)
        #expect(typo.status == 2)
        #expect(typo.output.contains(#"cluster gamma: not read: "#) && typo.output.contains(#"context "gamma" is not defined"#))

        // Commands that work on one cluster refuse several contexts.
        let explain = try await Self.run(["explain", "deployment/web", "-n", "shop", "--context", "alpha", "--context", "beta"], kubeconfigs: files)
        #expect(explain.status != 0 && explain.errorOutput.contains("only report takes several"))
    }
}
