import Act
import APIClient
import Assess
import Controller
import Evidence
import Foundation
import KubeModel
import KubeSim
import Plan
import Testing
import TestSupport
import Transport

/// Audit evidence kept on the pods: written by the replica that received it, guarded by the
/// pod's uid, and read back by every other replica and by the next controller.
@Suite(.serialized) struct EvidenceEndToEndTests {
    static let pastWarning: Int64 = 350 * 86_400 - 3607

    static func scenario() throws -> ScenarioHarness {
        try ScenarioHarness { s in
            s.namespace("default")
            s.namespace("tools")
            s.deployment("tools", "young", replicas: 1, ageDays: 10)
        }
    }

    /// A replica with the webhook on a loopback port, trusting `credentials`' client CA.
    static func webhookRuntime(_ harness: ScenarioHarness, identity: String, credentials: WebhookCredentials,
                               leaderElection: Bool, restartOn: RestartOn = .estimate) throws -> ControllerRuntime {
        let base = try harness.runtime(identity: identity, mode: .restart, maxConcurrent: 1, leaderElection: leaderElection)
        var configuration = base.configuration
        configuration.defaults.restartOn = restartOn
        configuration.auditWebhook = AuditWebhookSettings(
            address: "127.0.0.1:0", certificateFile: credentials.certificateFile, privateKeyFile: credentials.privateKeyFile,
            clientCAFile: credentials.clientCAFile)
        return try ControllerRuntime(cluster: base.client.config, configuration: configuration, identity: identity,
                                     minimumInterval: .milliseconds(50))
    }

    /// The API server's batch: the pod presented a token issued 350 days before `seenAt`.
    static func batch(pod: StoredObject, seenAt: String, pastWarning: Int64 = Self.pastWarning) -> [UInt8] {
        let ns = pod.namespace
        return Array(#"{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":[{"level":"Metadata","auditID":"1","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/\#(ns)/configmaps","verb":"list","user":{"username":"system:serviceaccount:\#(ns):default","groups":["system:serviceaccounts"],"extra":{"authentication.kubernetes.io/pod-name":["\#(pod.name)"],"authentication.kubernetes.io/pod-uid":["\#(pod.uid)"]}},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"\#(seenAt)","stageTimestamp":"\#(seenAt)","annotations":{"authentication.k8s.io/stale-token":"subject: system:serviceaccount:\#(ns):default, seconds after warning threshold: \#(pastWarning)"}}]}"#.utf8)
    }

    static func post(_ body: [UInt8], to runtime: ControllerRuntime, credentials: WebhookCredentials) async throws -> Int {
        let port = try #require(runtime.auditWebhook?.port)
        let reply = try await CurlTransport(tls: credentials.clientTLS(presenting: credentials.client)).send(TransportRequest(
            method: "POST", url: "https://127.0.0.1:\(port)/audit", headers: [("Content-Type", "application/json")], body: body))
        return reply.status
    }

    /// Someone else holds the lease for `seconds`, so a replica with leader election only listens.
    static func holdLease(_ harness: ScenarioHarness, seconds: Int) throws {
        let micro = ISO8601DateFormatter.microseconds(Date().timeIntervalSince1970)
        try harness.sim.load([[
            "kind": "Lease", "apiVersion": "coordination.k8s.io/v1",
            "metadata": ["name": "token-warden", "namespace": "default"],
            "spec": ["holderIdentity": "someone-else", "leaseDurationSeconds": .int(Int64(seconds)), "acquireTime": .string(micro),
                     "renewTime": .string(micro), "leaseTransitions": 0],
        ]])
    }

    static func annotation(_ harness: ScenarioHarness, _ key: String) -> String? {
        harness.sim.store.objects(ResourceCatalog.pods, namespace: "tools").first?.value.value(at: ["metadata", "annotations", key])?.stringValue
    }

    /// The replica that received the batch is not the leader and then goes away; a new controller
    /// that never saw the batch restarts the workload from what the pod carries.
    @Test func evidenceSurvivesAControllerRestart() async throws {
        let harness = try Self.scenario()
        defer { harness.stop() }
        try Self.holdLease(harness, seconds: 3600)
        let credentials = try WebhookCredentials()
        let listener = try Self.webhookRuntime(harness, identity: "listener", credentials: credentials, leaderElection: true)
        let first = try harness.start(listener)
        #expect(try await harness.wait { listener.health.isReady && listener.auditWebhook.map { $0.port > 0 } == true })
        let pod = try #require(harness.sim.store.objects(ResourceCatalog.pods, namespace: "tools").first)
        let seen = Date().timeIntervalSince1970.rounded(.down)
        #expect(try await Self.post(Self.batch(pod: pod, seenAt: ISO8601DateFormatter.microseconds(seen)), to: listener, credentials: credentials) == 200)
        #expect(try await harness.wait(seconds: 20) { Self.annotation(harness, PolicyAnnotation.staleTokenIssuedAt) != nil })
        let issued = Timestamp(seconds: Int64(seen) - Self.pastWarning - 3607)
        #expect(Self.annotation(harness, PolicyAnnotation.staleTokenIssuedAt) == issued.rfc3339)
        #expect(Self.annotation(harness, PolicyAnnotation.staleTokenSeenAt) == Timestamp(seconds: Int64(seen)).rfc3339)
        await first.stop()
        #expect(harness.restartPatches().isEmpty, "the listener never led")

        let next = try harness.start(try harness.runtime(identity: "next", mode: .restart, maxConcurrent: 1))
        let restarted = try await harness.wait(seconds: 30) { harness.restartPatches() == ["tools/young"] }
        await next.stop()
        #expect(restarted)
        #expect(harness.events("ConfirmedStaleToken").contains("tools/young"))
    }

    /// A refused evidence write backs the pod off with the failure memory every write uses
    /// (a 403: the policy's long wait, here 2 s), then is written; nothing in between.
    @Test func aRefusedEvidenceWriteBacksOffWithTheFailureMemory() async throws {
        let harness = try Self.scenario()
        defer { harness.stop() }
        try Self.holdLease(harness, seconds: 3600)  // a follower: the evidence makes it restart nothing
        let credentials = try WebhookCredentials()
        let base = try Self.webhookRuntime(harness, identity: "listener", credentials: credentials, leaderElection: true)
        var configuration = base.configuration
        configuration.backoff = BackoffPolicy(initial: 1, maximum: 2, jitter: 0)
        let runtime = try ControllerRuntime(cluster: base.client.config, configuration: configuration, identity: "listener",
                                            minimumInterval: .milliseconds(50))
        let replica = try harness.start(runtime)
        #expect(try await harness.wait { runtime.health.isReady && runtime.auditWebhook.map { $0.port > 0 } == true })
        harness.sim.faults.inject(.init(code: 403, count: 1, verbs: ["patch"], resources: ["pods"], retryAfterSeconds: 0))
        let pod = try #require(harness.sim.store.objects(ResourceCatalog.pods, namespace: "tools").first)
        let posted = ContinuousClock.now
        #expect(try await Self.post(Self.batch(pod: pod, seenAt: ISO8601DateFormatter.microseconds(Date().timeIntervalSince1970)),
                                    to: runtime, credentials: credentials) == 200)
        #expect(try await harness.wait(seconds: 10) { Self.annotation(harness, PolicyAnnotation.staleTokenIssuedAt) != nil })
        let took = ContinuousClock.now - posted
        #expect(took > .milliseconds(1500) && took < .seconds(6), "written after \(took)")
        // The request log notes a request once its answer is written, just after the store has the patch.
        func writes() -> [Int] {
            harness.sim.requestLog.all.filter { $0.verb == "patch" && $0.resource == "pods" && $0.name == pod.name }.map(\.code)
        }
        _ = try await harness.wait(seconds: 2) { writes().count >= 2 }
        #expect(writes() == [403, 200], "\(writes())")
        await replica.stop()
    }

    /// The follower receives the batch; the leader, which has no webhook at all, acts on it.
    @Test func theLeaderActsOnWhatAFollowerReceived() async throws {
        let harness = try Self.scenario()
        defer { harness.stop() }
        let leaderRuntime = try harness.runtime(identity: "leader", mode: .restart, maxConcurrent: 1, leaderElection: true)
        let leader = try harness.start(leaderRuntime)
        #expect(try await harness.wait { leaderRuntime.isLeader && leaderRuntime.health.isReady })
        let credentials = try WebhookCredentials()
        let followerRuntime = try Self.webhookRuntime(harness, identity: "follower", credentials: credentials, leaderElection: true)
        let follower = try harness.start(followerRuntime)
        #expect(try await harness.wait { followerRuntime.health.isReady && followerRuntime.auditWebhook.map { $0.port > 0 } == true })
        #expect(harness.restartPatches().isEmpty, "not at risk by estimate")

        let pod = try #require(harness.sim.store.objects(ResourceCatalog.pods, namespace: "tools").first)
        let seen = ISO8601DateFormatter.microseconds(Date().timeIntervalSince1970)
        #expect(try await Self.post(Self.batch(pod: pod, seenAt: seen), to: followerRuntime, credentials: credentials) == 200)
        let restarted = try await harness.wait(seconds: 30) { harness.restartPatches() == ["tools/young"] }
        #expect(!followerRuntime.isLeader)
        await follower.stop()
        await leader.stop()
        #expect(restarted)
        #expect(followerRuntime.evidence.isConfirmedStale(podUID: pod.uid))
        #expect(leaderRuntime.evidence.snapshot().isEmpty, "the leader knows it only from the pod")
    }

    /// restart-on: evidence over long-lived workloads of which one is confirmed: exactly that one
    /// is restarted (by the evidence's deadline); the others get UnconfirmedAtRisk and keep running.
    @Test func restartOnEvidenceRestartsExactlyTheConfirmedWorkloads() async throws {
        let harness = try ScenarioHarness { s in
            s.namespace("default")
            s.namespace("shop")
            s.deployment("shop", "a", replicas: 1, ageDays: 340)
            s.deployment("shop", "b", replicas: 1, ageDays: 340)
            s.deployment("shop", "c", replicas: 2, ageDays: 345)
        }
        defer { harness.stop() }
        let credentials = try WebhookCredentials()
        let runtime = try Self.webhookRuntime(harness, identity: "evidence", credentials: credentials, leaderElection: false, restartOn: .evidence)
        let replica = try harness.start(runtime)
        #expect(try await harness.wait(seconds: 30) { Set(harness.events("UnconfirmedAtRisk")) == ["shop/a", "shop/b", "shop/c"] })
        #expect(harness.restartPatches().isEmpty, "at risk by estimate only: nothing restarted")

        let a = try #require(harness.sim.store.objects(ResourceCatalog.pods, namespace: "shop").first { $0.name.hasPrefix("a-") })
        let seen = ISO8601DateFormatter.microseconds(Date().timeIntervalSince1970)
        #expect(try await Self.post(Self.batch(pod: a, seenAt: seen, pastWarning: 340 * 86_400 - 3607), to: runtime, credentials: credentials) == 200)
        let restarted = try await harness.wait(seconds: 30) { harness.restartPatches() == ["shop/a"] }
        try await Task.sleep(for: .seconds(2))  // passes go on: b and c still stay
        await replica.stop()
        #expect(restarted)
        #expect(harness.restartPatches() == ["shop/a"])
        #expect(harness.events("ConfirmedStaleToken") == ["shop/a"])
        #expect(harness.events("UnconfirmedAtRisk").filter { $0 == "shop/b" }.count == 1, "once per deadline")
    }

    /// A pod replaced under the same name gets nothing; once per pod per token; an earlier issue
    /// time is written again.
    @Test func writesAreGuardedByThePodsUIDAndNotRepeated() async throws {
        let harness = try Self.scenario()
        defer { harness.stop() }
        let client = try harness.runtime(identity: "writer").client
        let writer = PodEvidenceWriter(client: client, dryRun: false, logger: .init(label: "test"))
        let pod = try #require(harness.sim.store.objects(ResourceCatalog.pods, namespace: "tools").first)
        func evidence(issued: Int64) -> TokenEvidence {
            TokenEvidence(source: .webhook, firstSeen: Timestamp(seconds: 1_800_000_000), lastSeen: Timestamp(seconds: 1_800_000_000),
                          serviceAccount: "default", tokenIssuedAt: Timestamp(seconds: issued))
        }
        let replaced = PodEvidenceWriter.Target(namespace: "tools", name: pod.name, uid: "00000000-0000-0000-0000-000000000000", recordedIssuedAt: nil)
        #expect(await writer.write(replaced, evidence: evidence(issued: 1_770_000_000)) == .podReplaced)
        #expect(Self.annotation(harness, PolicyAnnotation.staleTokenIssuedAt) == nil)
        #expect(harness.sim.requestLog.all.contains { $0.verb == "patch" && $0.resource == "pods" && $0.code == 422 })

        let target = PodEvidenceWriter.Target(namespace: "tools", name: pod.name, uid: pod.uid, recordedIssuedAt: nil)
        #expect(await writer.write(target, evidence: evidence(issued: 1_770_000_000)) == .written)
        #expect(Self.annotation(harness, PolicyAnnotation.staleTokenIssuedAt) == Timestamp(seconds: 1_770_000_000).rfc3339)
        #expect(await writer.write(target, evidence: evidence(issued: 1_770_000_000)) == .alreadyRecorded)
        #expect(await writer.write(target, evidence: evidence(issued: 1_775_000_000)) == .alreadyRecorded)
        var onPod = target
        onPod.recordedIssuedAt = Timestamp(seconds: 1_770_000_000)
        #expect(await PodEvidenceWriter(client: client, dryRun: false, logger: .init(label: "other"))
            .write(onPod, evidence: evidence(issued: 1_770_000_000)) == .alreadyRecorded, "another replica sees it on the pod")
        #expect(await writer.write(target, evidence: evidence(issued: 1_760_000_000)) == .written)
        #expect(Self.annotation(harness, PolicyAnnotation.staleTokenIssuedAt) == Timestamp(seconds: 1_760_000_000).rfc3339)
        #expect(await PodEvidenceWriter(client: client, dryRun: true, logger: .init(label: "report"))
            .write(target, evidence: evidence(issued: 1_750_000_000)) == .dryRun)
    }
}
