import Assess
import KubeModel
import Plan
import Testing

/// A rollout past `--rollout-timeout` is reported, and keeps its concurrency slots (cluster and
/// namespace) for as long as the server shows it rolling, so the cluster never sees more rollouts
/// than the limits. Completion, deletion or scaling to zero frees the slot; an eviction sequence
/// that timed out stops and frees it at once.
@Suite struct PlannerRolloutTimeoutTests {
    static let now = t("2026-11-23T19:00:00Z")
    static let webStart = "2025-12-01T00:00:00Z"  // deadline 2026-11-30T23:11:44Z
    static let apiStart = "2025-12-03T00:00:00Z"  // deadline 2026-12-02T23:11:44Z
    static let webDeadline = "2026-11-30T23:11:44Z"
    static let web = WorkloadID(kind: .deployment, namespace: "a", name: "web")

    /// What the server shows about web's rollout.
    enum Rollout {
        case rolling
        /// The Deployment's Progressing condition says ProgressDeadlineExceeded.
        case stuck
        case complete
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var rollout: Rollout
        /// web's restarted-at annotation (nil: none visible yet).
        var restartedAt: String?
        /// The deadline web's restart was for (default: its current one).
        var handledDeadline = PlannerRolloutTimeoutTests.webDeadline
        var startedRestarts: [WorkloadID: StartedRestart] = [:]
        var apiNamespace = "b"
        var config = PlannerConfig()  // 1 at once, 1 per namespace, 15 min timeout
        var expected: [String]
        var apiAction: PlanAction
        var runningCount: Int
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "within the timeout: in progress, holds the slot", rollout: .rolling, restartedAt: "2026-11-23T18:55:00Z",
             expected: ["web:in-progress", "api:deferred"], apiAction: .deferred(.clusterLimit, until: nil), runningCount: 1),
        Case(name: "past the timeout, still rolling: reported, keeps the cluster slot", rollout: .rolling,
             restartedAt: "2026-11-23T18:40:00Z",
             expected: ["web:rollout-timed-out", "api:deferred"], apiAction: .deferred(.clusterLimit, until: nil), runningCount: 1),
        Case(name: "past the timeout and the progress deadline: keeps the slot", rollout: .stuck,
             restartedAt: "2026-11-23T18:40:00Z",
             expected: ["web:rollout-timed-out", "api:deferred"], apiAction: .deferred(.clusterLimit, until: nil), runningCount: 1),
        Case(name: "past the timeout, still rolling: keeps the namespace slot", rollout: .rolling,
             restartedAt: "2026-11-23T18:40:00Z", apiNamespace: "a", config: PlannerConfig(maxConcurrent: 2),
             expected: ["web:rollout-timed-out", "api:deferred"], apiAction: .deferred(.namespaceLimit, until: nil), runningCount: 1),
        Case(name: "past the timeout, complete: the slot is free", rollout: .complete, restartedAt: "2026-11-23T18:40:00Z",
             expected: ["web:already-restarted", "api:restart"], apiAction: .restart(.rollout, resume: false), runningCount: 1),
        Case(name: "a later rollout after a restart for another deadline is someone else's", rollout: .rolling,
             restartedAt: "2026-11-23T18:40:00Z", handledDeadline: "2026-11-01T00:00:00Z",
             expected: ["web:deferred", "api:restart"], apiAction: .restart(.rollout, resume: false), runningCount: 1),
        Case(name: "in flight past the timeout, annotation not seen yet, rolling: keeps the slot", rollout: .rolling, restartedAt: nil,
             startedRestarts: [web: StartedRestart(startedAt: now - 1200, strategy: .rollout, deadline: t(webDeadline))],
             expected: ["web:rollout-timed-out", "api:deferred"], apiAction: .deferred(.clusterLimit, until: nil), runningCount: 1),
        Case(name: "in flight past the timeout, complete: the slot is free", rollout: .complete, restartedAt: nil,
             startedRestarts: [web: StartedRestart(startedAt: now - 1200, strategy: .rollout, deadline: t(webDeadline))],
             expected: ["web:rollout-timed-out", "api:restart"], apiAction: .restart(.rollout, resume: false), runningCount: 1),
        Case(name: "an eviction sequence past its timeout whose workload is gone: the slot is free", rollout: .complete,
             restartedAt: "2026-11-23T18:40:00Z",
             startedRestarts: [WorkloadID(kind: .replicationController, namespace: "q", name: "gone"):
                 StartedRestart(startedAt: now - 1200, strategy: .evict)],
             expected: ["web:already-restarted", "api:restart"], apiAction: .restart(.rollout, resume: false), runningCount: 1),
    ]

    static func cluster(_ c: Case) -> Cluster {
        var cluster = Cluster()
        let annotations = c.restartedAt.map {
            [PolicyAnnotation.restartedAt: $0, PolicyAnnotation.restartForDeadline: c.handledDeadline]
        }
        cluster.deployment("web", ns: "a", start: webStart, annotations: annotations, progressing: c.rollout == .rolling)
        if c.rollout == .stuck, let index = cluster.snapshot.deployments.firstIndex(where: { $0.metadata.name == "web" }) {
            cluster.snapshot.deployments[index].status?.conditions = [
                WorkloadCondition(type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded"),
            ]
        }
        cluster.deployment("api", ns: c.apiNamespace, start: apiStart)
        return cluster
    }

    @Test(arguments: cases) func timedOutRollouts(_ c: Case) throws {
        let plan = Planner(config: c.config).plan(Self.cluster(c).assess(now: Self.now), now: Self.now, startedRestarts: c.startedRestarts)
        #expect(plan.decisions.map { "\($0.workload.name):\($0.action.name)" } == c.expected)
        let api = try #require(plan.decisions.first { $0.workload.name == "api" })
        #expect(api.action == c.apiAction)
        #expect(plan.running.count == c.runningCount)
        if case .rolloutTimedOut(let since) = plan.decisions[0].action {
            #expect(since == (c.restartedAt.map(t) ?? Self.now - 1200))
        }
    }

    /// A slot held by a timed-out rollout is not polled for: its end comes with a watch event.
    @Test func aTimedOutRolloutDoesNotMakeThePlannerPoll() {
        let c = Self.cases[1]
        let plan = Planner(config: c.config).plan(Self.cluster(c).assess(now: Self.now), now: Self.now)
        #expect(plan.requeueAt > Self.now + 1)
    }
}
