import Foundation
import KubeSim

/// How big a scenario's cluster is: healthy Deployments (young tokens, churned continuously) and
/// at-risk Deployments (tokens near the end of their extended lifetime) spread over namespaces.
public struct LoadProfile: Sendable {
    public var namespaces: Int
    public var healthyDeployments: Int
    public var replicas: Int
    public var atRisk: Int
    /// Healthy pods deleted per second (their ReplicaSets recreate them).
    public var churnPerSecond: Int
    /// How long a scenario may take to restart everything it should.
    public var deadlineSeconds: Double

    public init(namespaces: Int, healthyDeployments: Int, replicas: Int, atRisk: Int, churnPerSecond: Int, deadlineSeconds: Double) {
        self.namespaces = namespaces
        self.healthyDeployments = healthyDeployments
        self.replicas = replicas
        self.atRisk = atRisk
        self.churnPerSecond = churnPerSecond
        self.deadlineSeconds = deadlineSeconds
    }

    /// `make reliability`: over a thousand pods.
    public static let full = LoadProfile(namespaces: 8, healthyDeployments: 240, replicas: 5, atRisk: 6, churnPerSecond: 10,
                                         deadlineSeconds: 150)
    /// The fast subset in `swift test`.
    public static let small = LoadProfile(namespaces: 3, healthyDeployments: 30, replicas: 3, atRisk: 3, churnPerSecond: 10,
                                          deadlineSeconds: 90)

    public var pods: Int { healthyDeployments * replicas + atRisk * 2 }
    public var summary: String { "\(pods) pods, churn \(churnPerSecond)/s" }

    public func namespace(_ index: Int) -> String { "load-\(index % namespaces)" }

    /// The at-risk workloads ("namespace/name") the controller must restart exactly once each.
    public var expected: Set<String> { Set((0..<atRisk).map { "\(namespace($0))/risk-\($0)" }) }

    /// The seeded population; `extra` adds scenario-specific objects (namespaces already exist).
    public func objects(now: Int64, healthyAnnotations: @Sendable (Int) -> [String: String] = { _ in [:] },
                        extra: (inout ScenarioBuilder) -> Void = { _ in }) -> [JSONValue] {
        var builder = ScenarioBuilder(now: now)
        for index in 0..<namespaces { builder.namespace("load-\(index)") }
        for index in 0..<healthyDeployments {
            builder.deployment(namespace(index), "fine-\(index)", replicas: replicas, ageDays: Double(1 + index % 20),
                               annotations: healthyAnnotations(index))
        }
        // Distinct deadlines, ten days apart at most, all inside the 30-day restart-before.
        for index in 0..<atRisk {
            builder.deployment(namespace(index), "risk-\(index)", replicas: 2, ageDays: 340 + Double(index % 20))
        }
        extra(&builder)
        return builder.objects
    }
}
