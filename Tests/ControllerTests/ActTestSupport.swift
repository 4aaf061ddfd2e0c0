import APIClient
import Act
import Assess
@testable import Controller
import Foundation
import KubeModel
import Logging
@testable import Plan
import Synchronization
import Transport

/// Shared fixtures of the Act tests: a client for the simulated server, a settable clock,
/// manifests and decisions.
enum ActFixtures {
    static let logger: Logger = {
        var logger = Logger(label: "act-test")
        // ACT_TEST_LOG=debug shows what the executor and elector do.
        logger.logLevel = ProcessInfo.processInfo.environment["ACT_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        return logger
    }()

    static func client(_ sim: ActSim) -> KubeClient {
        let tls = TLSSettings(certificateAuthority: .pem(Array(sim.certificateAuthorityPEM.utf8)))
        return KubeClient(config: ClusterConfig(server: sim.url, tls: tls, token: .fixed(sim.token), origin: "test"), logger: logger)
    }

    static func recorder(_ sim: ActSim, clock: TestClock = TestClock(), limits: EventRecorder.Limits = .init()) -> EventRecorder {
        EventRecorder(client: client(sim), instance: "token-warden-0", logger: logger, limits: limits, clock: clock.read)
    }

    static func executor(_ sim: ActSim, dryRun: Bool = false, clock: TestClock = TestClock()) -> RestartExecutor {
        let events = recorder(sim, clock: clock)
        return RestartExecutor(client: client(sim), logger: logger, dryRun: dryRun) { await events.emit(PassEffects.event(for: $0)) }
    }

    /// 2026-11-23T12:00:00Z, the tests' "now".
    static let now = Timestamp(rfc3339: "2026-11-23T12:00:00Z")!
    static let deadline = Timestamp(rfc3339: "2026-12-10T08:00:00Z")!

    static func decision(
        _ kind: WorkloadKind, namespace: String = "shop", name: String, uid: String? = nil,
        action: PlanAction, deadline: Timestamp? = ActFixtures.deadline, pods: [ObjectRef] = []
    ) -> Decision {
        Decision(
            workload: WorkloadID(kind: kind, namespace: namespace, name: name),
            ref: ObjectRef(kind: kind.kindName, namespace: namespace, name: name, uid: uid),
            action: action, classification: .atRisk, deadline: deadline, confirmedStale: false, pods: pods,
            message: "token deadline \(deadline.map(\.rfc3339) ?? "none"): pod \(name)-0: token issued before restart")
    }

    static func namespace(_ name: String) -> String {
        #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"\#(name)"}}"#
    }

    static func deployment(_ name: String, namespace: String = "shop", uid: String, paused: Bool = false) -> String {
        #"""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"\#(name)","namespace":"\#(namespace)","uid":"\#(uid)",
         "labels":{"app":"\#(name)"},"annotations":{"deployment.kubernetes.io/revision":"1"}},
         "spec":{"replicas":2,"paused":\#(paused),"selector":{"matchLabels":{"app":"\#(name)"}},
          "template":{"metadata":{"labels":{"app":"\#(name)"}},"spec":{"containers":[{"name":"app","image":"example/app:1"}]}},
          "strategy":{"type":"RollingUpdate"}}}
        """#
    }

    static func statefulSet(_ name: String, namespace: String = "shop", uid: String, strategy: String) -> String {
        #"""
        {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"\#(name)","namespace":"\#(namespace)","uid":"\#(uid)"},
         "spec":{"replicas":1,"serviceName":"\#(name)","selector":{"matchLabels":{"app":"\#(name)"}},"updateStrategy":{"type":"\#(strategy)"},
          "template":{"metadata":{"labels":{"app":"\#(name)"}},"spec":{"containers":[{"name":"app","image":"example/app:1"}]}}}}
        """#
    }

    static func replicationController(_ name: String, namespace: String = "shop", uid: String, replicas: Int) -> String {
        #"""
        {"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"\#(name)","namespace":"\#(namespace)","uid":"\#(uid)"},
         "spec":{"replicas":\#(replicas),"selector":{"app":"\#(name)"},
          "template":{"metadata":{"labels":{"app":"\#(name)"}},"spec":{"containers":[{"name":"app","image":"example/app:1"}]}}}}
        """#
    }

    struct Owner {
        var apiVersion: String
        var kind: String
        var name: String
        var uid: String
    }

    /// A Running pod (Ready unless told otherwise) that started at `started`.
    static func pod(
        _ name: String, namespace: String = "shop", uid: String, started: String, ready: Bool = true, owner: Owner? = nil,
        nodeName: String? = "node-1", annotations: [String: String] = [:], phase: String = "Running"
    ) -> String {
        let ownerJSON = owner.map {
            #","ownerReferences":[{"apiVersion":"\#($0.apiVersion)","kind":"\#($0.kind)","name":"\#($0.name)","uid":"\#($0.uid)","controller":true,"blockOwnerDeletion":true}]"#
        } ?? ""
        let annotationJSON = annotations.isEmpty ? "" : #","annotations":{"# + annotations.sorted { $0.key < $1.key }
            .map { #""\#($0.key)":"\#($0.value)""# }.joined(separator: ",") + "}"
        let node = nodeName.map { #""nodeName":"\#($0)","# } ?? ""
        return #"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)","namespace":"\#(namespace)","uid":"\#(uid)",
          "creationTimestamp":"\#(started)","labels":{"app":"demo"}\#(ownerJSON)\#(annotationJSON)},
         "spec":{\#(node)"serviceAccountName":"default","terminationGracePeriodSeconds":30,
          "containers":[{"name":"app","image":"example/app:1","volumeMounts":[{"name":"kube-api-access-abcde","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount","readOnly":true}]}],
          "volumes":[{"name":"kube-api-access-abcde","projected":{"defaultMode":420,"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}}]}}]},
         "status":{"phase":"\#(phase)","startTime":"\#(started)","conditions":[{"type":"Ready","status":"\#(ready ? "True" : "False")"}],
          "containerStatuses":[{"name":"app","ready":\#(ready),"restartCount":0,"state":{"running":{"startedAt":"\#(started)"}}}]}}
        """#
    }

    static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]?) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(bytes ?? []))
    }

    /// Events in `namespace` about `name`, decoded.
    static func events(_ sim: ActSim, namespace: String, about name: String? = nil) throws -> [CoreEvent] {
        try sim.objects("events", namespace: namespace).map { object in
            try JSONDecoder().decode(CoreEvent.self, from: JSONSerialization.data(withJSONObject: object))
        }.filter { name == nil || $0.involvedObject.name == name }
    }

    static func annotations(_ object: [String: Any]?) -> [String: String] {
        (object?["metadata"] as? [String: Any])?["annotations"] as? [String: String] ?? [:]
    }

    static func templateAnnotations(_ object: [String: Any]?) -> [String: String] {
        let template = (object?["spec"] as? [String: Any])?["template"] as? [String: Any]
        return (template?["metadata"] as? [String: Any])?["annotations"] as? [String: String] ?? [:]
    }
}

/// A wall clock the test sets.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ date: Date = Date(timeIntervalSince1970: Double(ActFixtures.now.seconds))) { current = Mutex(date) }

    var now: Date { current.withLock { $0 } }
    var read: @Sendable () -> Date { { [self] in now } }

    func advance(_ seconds: Double) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// Runs the jobs of tasks that prefer it on one dedicated thread. Tests that check timing
/// (leader election) use it so other test suites blocking the shared cooperative pool (a
/// synchronous `Process.waitUntilExit`, for instance) cannot stall them.
final class DedicatedThreadExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked: `jobs` is only touched under `condition`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    init(name: String) {
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
