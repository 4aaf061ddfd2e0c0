import APIClient
@testable import Act
import Assess
import Foundation
import KubeModel
import Plan
import Testing
import TestSupport
import Transport

@Suite("Act: rollout restart")
struct ActRolloutTests {
    /// The Deployment shop/web (uid d-1) on a fresh simulated server, an executor, and a rollout
    /// decision for it.
    static func webDeployment() throws -> (ActSim, RestartExecutor, Decision) {
        let sim = try ActSim()
        try sim.load("[\(ActFixtures.namespace("shop")),\(ActFixtures.deployment("web", uid: "d-1"))]")
        let decision = ActFixtures.decision(.deployment, name: "web", uid: "d-1", action: .restart(.rollout, resume: false))
        return (sim, ActFixtures.executor(sim), decision)
    }

    @Test func thePatchIsWhatKubectlRolloutRestartWritesPlusTheRestartState() async throws {
        let (sim, executor, decision) = try Self.webDeployment()
        sim.clearRequests()
        try await executor.startRollout(decision, now: ActFixtures.now)

        // Exactly one write to the Deployment, a PATCH (no read-modify-write).
        let calls = sim.requests.filter { $0.resource == "deployments" }
        #expect(calls.map(\.verb) == ["patch"], "\(calls)")
        let deployment = sim.object("deployments", namespace: "shop", name: "web")
        let template = ActFixtures.templateAnnotations(deployment)
        #expect(template == [
            "kubectl.kubernetes.io/restartedAt": "2026-11-23T12:00:00Z", "token-warden.dev/restarted-at": "2026-11-23T12:00:00Z",
        ])
        let annotations = ActFixtures.annotations(deployment)
        #expect(annotations["token-warden.dev/restarted-at"] == "2026-11-23T12:00:00Z")
        #expect(annotations["token-warden.dev/restart-for-deadline"] == "2026-12-10T08:00:00Z")
        #expect(annotations["deployment.kubernetes.io/revision"] == "1", "other annotations are kept")
        // The template changed: a new generation for the deployment controller to roll out.
        #expect((deployment?["metadata"] as? [String: Any])?["generation"] as? Int == 2)

        // The state reads back as the assessment reads it.
        let (state, diagnostics) = RestartState.read(annotations: annotations, templateAnnotations: template, object: decision.ref)
        #expect(diagnostics.isEmpty)
        #expect(state == RestartState(restartedAt: ActFixtures.now, restartForDeadline: ActFixtures.deadline))

        let started = try ActFixtures.events(sim, namespace: "shop", about: "web")
        #expect(started.map(\.reason) == ["RestartStarted"])
        #expect(started.first?.message?.contains("2026-12-10T08:00:00Z") == true)
    }

    /// A patch committed while its answer is lost (a dropped connection, the API server's 504
    /// request timeout) is read back and counts as started: reported failed, the next pass
    /// would have patched again — a second rollout.
    @Test(arguments: [0, 504])
    func aPatchThatLandedWithoutAnAnswerIsReadBackNotRepeated(code: Int) async throws {
        let (sim, executor, decision) = try Self.webDeployment()
        sim.loseTheAnswer("deployments", verb: "patch", code: code)
        sim.clearRequests()
        try await executor.startRollout(decision, now: ActFixtures.now)
        let calls = sim.requests.filter { $0.resource == "deployments" }.map(\.description)
        #expect(calls == ["patch deployments web → \(code)", "get deployments web → 200"])
        let annotations = ActFixtures.annotations(sim.object("deployments", namespace: "shop", name: "web"))
        #expect(annotations["token-warden.dev/restart-for-deadline"] == "2026-12-10T08:00:00Z")
        #expect(try ActFixtures.events(sim, namespace: "shop", about: "web").map(\.reason) == ["RestartStarted"])
    }

    /// The answer lost and the server unreachable for the read-back too (an API server restart):
    /// the attempt fails. The next attempt asks the server first and, finding this deadline's
    /// restart state, sends nothing: one rollout, not two.
    @Test func aRetryAfterALostAnswerAsksTheServerFirstAndDoesNotPatchAgain() async throws {
        let (sim, executor, decision) = try Self.webDeployment()
        sim.loseTheAnswer("deployments", verb: "patch", code: 0)
        sim.refuse("deployments", verb: "get", code: 503)
        await #expect(throws: APIError.self) { try await executor.startRollout(decision, now: ActFixtures.now) }
        sim.clearFaults()
        let generation = { ((sim.object("deployments", namespace: "shop", name: "web")?["metadata"] as? [String: Any])?["generation"] as? Int) }
        #expect(generation() == 2, "the first patch landed")

        sim.clearRequests()
        try await executor.startRollout(decision, now: ActFixtures.now + 60, afterFailedAttempt: true)
        let calls = sim.requests.filter { $0.resource == "deployments" }.map(\.description)
        #expect(calls == ["get deployments web → 200"])
        #expect(generation() == 2, "no second rollout")
        #expect(try ActFixtures.events(sim, namespace: "shop", about: "web").map(\.reason) == ["RestartStarted"])
    }

    /// After a failure that did not land, the read finds no restart state for the deadline and the patch goes out.
    @Test func aRetryAfterAFailureThatDidNotLandPatches() async throws {
        let (sim, executor, decision) = try Self.webDeployment()
        sim.clearRequests()
        try await executor.startRollout(decision, now: ActFixtures.now, afterFailedAttempt: true)
        let calls = sim.requests.filter { $0.resource == "deployments" }.map(\.verb)
        #expect(calls == ["get", "patch"])
        #expect(ActFixtures.annotations(sim.object("deployments", namespace: "shop", name: "web"))["token-warden.dev/restart-for-deadline"] == "2026-12-10T08:00:00Z")
    }

    /// The read-back itself failing sends nothing: no patch without knowing the first did not land.
    @Test func aRetryThatCannotReadTheServerSendsNothing() async throws {
        let (sim, executor, decision) = try Self.webDeployment()
        sim.refuse("deployments", verb: "get", code: 503)
        sim.clearRequests()
        await #expect(throws: APIError.self) { try await executor.startRollout(decision, now: ActFixtures.now, afterFailedAttempt: true) }
        #expect(!sim.requests.contains { $0.resource == "deployments" && $0.verb == "patch" })
    }

    /// The same failures without the write: the server's answer (or the lost connection) is the error.
    @Test(arguments: [0, 504])
    func aPatchThatDidNotLandFailsWithItsError(code: Int) async throws {
        let (sim, executor, decision) = try Self.webDeployment()
        sim.loseTheAnswer("deployments", verb: "patch", code: code, served: false)
        await #expect {
            try await executor.startRollout(decision, now: ActFixtures.now)
        } throws: { error in
            guard let error = error as? APIError, error.outcomeUnknown else { return false }
            return code == 0 ? error.code == nil : error.code == 504 && error.reason == "Timeout"
        }
        let annotations = ActFixtures.annotations(sim.object("deployments", namespace: "shop", name: "web"))
        #expect(annotations["token-warden.dev/restart-for-deadline"] == nil)
        #expect(try ActFixtures.events(sim, namespace: "shop", about: "web").isEmpty)
    }

    @Test func errorsThatMayHideACommittedWriteAreTheOnesReadBack() {
        let status = { (code: Int) in APIError.status(code: code, status: APIStatus(message: nil, reason: nil, code: code), retryAfterSeconds: nil, verb: "patch", path: "/") }
        #expect(status(500).outcomeUnknown && status(504).outcomeUnknown && status(503).outcomeUnknown)
        #expect(!status(409).outcomeUnknown && !status(422).outcomeUnknown && !status(429).outcomeUnknown && !status(403).outcomeUnknown)
        let transport = { (kind: TransportError.Kind) in APIError.transport(TransportError(kind: kind, message: "x", url: "https://127.0.0.1/")) }
        #expect(transport(.connectionLost).outcomeUnknown && transport(.timedOut).outcomeUnknown)
        #expect(!transport(.couldNotConnect).outcomeUnknown && !transport(.tlsVerificationFailed).outcomeUnknown && !transport(.cancelled).outcomeUnknown)
    }

    @Test func theTemplateAnnotationMatchesTheGoldenRolloutRestart() throws {
        // The real API server's answer to kubectl's patch: the same key, an RFC 3339 second-resolution value.
        let golden = try JSONSerialization.jsonObject(with: Fixtures.golden("objects/deployment-after-restart-patch.json")) as? [String: Any]
        let goldenTemplate = ActFixtures.templateAnnotations(golden)
        let patch = RestartExecutor.rolloutPatch(uid: "d-1", now: ActFixtures.now, deadline: ActFixtures.deadline)
        let ours = patch.spec.template.metadata.annotations
        #expect(Set(goldenTemplate.keys).isSubset(of: Set(ours.keys)))
        let goldenValue = try #require(goldenTemplate[RestartExecutor.kubectlRestartedAt])
        #expect(Timestamp(rfc3339: goldenValue)?.rfc3339 == goldenValue)
        #expect(Timestamp(rfc3339: ours[RestartExecutor.kubectlRestartedAt]!)?.rfc3339 == ours[RestartExecutor.kubectlRestartedAt])
    }

    @Test func thePatchBodyIsOneStrategicMergeDocument() throws {
        let body = String(decoding: try JSONBody.encode(RestartExecutor.rolloutPatch(uid: "d-1", now: ActFixtures.now, deadline: ActFixtures.deadline)), as: UTF8.self)
        #expect(body == #"{"metadata":{"annotations":{"token-warden.dev/restart-for-deadline":"2026-12-10T08:00:00Z","token-warden.dev/restarted-at":"2026-11-23T12:00:00Z"},"uid":"d-1"},"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-23T12:00:00Z","token-warden.dev/restarted-at":"2026-11-23T12:00:00Z"}}}}}"#)
    }

    @Test func aDeploymentPausedSinceTheAssessmentIsRefusedAndTheStateRemoved() async throws {
        let sim = try ActSim()
        try sim.load("[\(ActFixtures.namespace("shop")),\(ActFixtures.deployment("web", uid: "d-1", paused: true))]")
        let executor = ActFixtures.executor(sim)
        let decision = ActFixtures.decision(.deployment, name: "web", uid: "d-1", action: .restart(.rollout, resume: false))
        await #expect {
            try await executor.startRollout(decision, now: ActFixtures.now)
        } throws: { error in
            guard case RestartError.rolloutBlocked(_, let why) = error else { return false }
            return why.contains("paused")
        }
        let annotations = ActFixtures.annotations(sim.object("deployments", namespace: "shop", name: "web"))
        #expect(annotations["token-warden.dev/restart-for-deadline"] == nil, "no restart recorded for the deadline")
        // The caller reports the thrown error (RestartFailed); the executor started nothing, so it says nothing.
        #expect(try ActFixtures.events(sim, namespace: "shop", about: "web").isEmpty)
    }

    @Test func anOnDeleteStatefulSetIsRefused() async throws {
        let sim = try ActSim()
        try sim.load("[\(ActFixtures.namespace("shop")),\(ActFixtures.statefulSet("db", uid: "s-1", strategy: "OnDelete"))]")
        let executor = ActFixtures.executor(sim)
        let decision = ActFixtures.decision(.statefulSet, name: "db", uid: "s-1", action: .restart(.rollout, resume: false))
        await #expect(throws: RestartError.self) { try await executor.startRollout(decision, now: ActFixtures.now) }
    }

    @Test func aRollingStatefulSetIsPatched() async throws {
        let sim = try ActSim()
        try sim.load("[\(ActFixtures.namespace("shop")),\(ActFixtures.statefulSet("db", uid: "s-1", strategy: "RollingUpdate"))]")
        let executor = ActFixtures.executor(sim)
        let decision = ActFixtures.decision(.statefulSet, name: "db", uid: "s-1", action: .restart(.rollout, resume: false))
        try await executor.startRollout(decision, now: ActFixtures.now)
        let template = ActFixtures.templateAnnotations(sim.object("statefulsets", namespace: "shop", name: "db"))
        #expect(template["kubectl.kubernetes.io/restartedAt"] == "2026-11-23T12:00:00Z")
    }

    @Test func aDaemonSetIsPatchedUnlessItIsOnDelete() async throws {
        let sim = try ActSim()
        func daemonSet(_ name: String, _ strategy: String) -> String {
            #"{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"\#(name)","namespace":"shop","uid":"ds-\#(name)"},"spec":{"selector":{"matchLabels":{"app":"\#(name)"}},"updateStrategy":{"type":"\#(strategy)"},"template":{"metadata":{"labels":{"app":"\#(name)"}},"spec":{"containers":[{"name":"agent","image":"example/agent:1"}]}}}}"#
        }
        try sim.load("[\(ActFixtures.namespace("shop")),\(daemonSet("agent", "RollingUpdate")),\(daemonSet("legacy", "OnDelete"))]")
        let executor = ActFixtures.executor(sim)
        try await executor.startRollout(ActFixtures.decision(.daemonSet, name: "agent", uid: "ds-agent", action: .restart(.rollout, resume: false)),
                                        now: ActFixtures.now)
        #expect(ActFixtures.templateAnnotations(sim.object("daemonsets", namespace: "shop", name: "agent"))["kubectl.kubernetes.io/restartedAt"]
            == ActFixtures.now.rfc3339)
        await #expect(throws: RestartError.self) {
            try await executor.startRollout(ActFixtures.decision(.daemonSet, name: "legacy", uid: "ds-legacy", action: .restart(.rollout, resume: false)),
                                            now: ActFixtures.now)
        }
        #expect(ActFixtures.annotations(sim.object("daemonsets", namespace: "shop", name: "legacy"))["token-warden.dev/restart-for-deadline"] == nil)
    }

    @Test func kindsWithoutARolloutAreRefusedWithoutAWrite() async throws {
        let sim = try ActSim()
        try sim.load("[\(ActFixtures.namespace("shop")),\(ActFixtures.replicationController("legacy", uid: "rc-1", replicas: 1))]")
        let executor = ActFixtures.executor(sim)
        sim.clearRequests()
        for kind in [WorkloadKind.replicationController, .replicaSet, .pod, .job, .custom(kind: "Rollout", apiVersion: "argoproj.io/v1alpha1")] {
            let decision = ActFixtures.decision(kind, name: "legacy", action: .restart(.rollout, resume: false))
            await #expect(throws: RestartError.self) { try await executor.startRollout(decision, now: ActFixtures.now) }
        }
        #expect(sim.requests.isEmpty)
    }

    @Test func aDecisionWithoutDeadlineIsRefused() async throws {
        let sim = try ActSim()
        try sim.load("[\(ActFixtures.namespace("shop")),\(ActFixtures.deployment("web", uid: "d-1"))]")
        let executor = ActFixtures.executor(sim)
        let decision = ActFixtures.decision(.deployment, name: "web", action: .restart(.rollout, resume: false), deadline: nil)
        await #expect(throws: RestartError.self) { try await executor.startRollout(decision, now: ActFixtures.now) }
        #expect(ActFixtures.templateAnnotations(sim.object("deployments", namespace: "shop", name: "web")).isEmpty)
    }

    @Test func aMissingWorkloadSurfacesTheServersStatus() async throws {
        let sim = try ActSim()
        try sim.load(ActFixtures.namespace("shop"))
        let executor = ActFixtures.executor(sim)
        let decision = ActFixtures.decision(.deployment, name: "gone", action: .restart(.rollout, resume: false))
        await #expect {
            try await executor.startRollout(decision, now: ActFixtures.now)
        } throws: { error in
            (error as? APIError)?.isNotFound == true
        }
    }
}
