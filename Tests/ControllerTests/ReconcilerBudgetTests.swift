import Act
import APIClient
import Assess
import Controller
import KubeModel
import Plan
import Synchronization
import Testing

/// The budgets in controller time, with the default backoff: a pass every second (a busy
/// cluster) for 15 minutes or an hour, counted at the actions (each one an API request).
@Suite struct ReconcilerBudgetTests {
    /// An eviction a PodDisruptionBudget never allows (the executor's answers: 429 until
    /// `--evict-timeout`, then the give-up), or a rollout patch always refused with 403.
    final class RefusingActions: WorkloadActions {
        struct State {
            var sequenceStart: Timestamp?
            var decision: Decision?
            var evictions = 0
            var giveUps = 0
            var patches = 0
        }
        let state = Mutex(State())

        func emit(_ event: WardenEvent) async -> EventEmission { .handled }

        func startRollout(_ decision: Decision, now: Timestamp, afterFailedAttempt: Bool) async throws {
            state.withLock { $0.patches += 1 }
            throw APIError.status(code: 403, status: APIStatus(message: "deployments.apps \"web\" is forbidden", reason: "Forbidden", code: 403),
                                  retryAfterSeconds: nil, verb: "PATCH", path: "/apis/apps/v1/namespaces/shop/deployments/web")
        }

        func evictNext(_ decision: Decision, workloadPods: [Pod], now: Timestamp, timeoutSeconds: Int64) async throws -> EvictionStep {
            state.withLock { s in
                let start = s.sequenceStart ?? now
                if now - start > timeoutSeconds {
                    s.sequenceStart = nil
                    s.decision = nil
                    s.giveUps += 1
                    return .timedOut
                }
                s.sequenceStart = start
                s.decision = decision
                s.evictions += 1
                return .blocked(APIStatus(message: "Cannot evict pod as it would violate the pod's disruption budget.", reason: "TooManyRequests", code: 429),
                                retryAfterSeconds: 5)
            }
        }

        func recreate(_ decision: Decision, pod: Pod, now: Timestamp) async throws -> RecreationStep { .created(ObjectRef(pod)) }

        func runningEvictions() -> [RunningEviction] {
            state.withLock { s in
                guard let decision = s.decision, let start = s.sequenceStart else { return [] }
                return [RunningEviction(decision: decision, restartedAt: start, lastProgress: start)]
            }
        }
    }

    static func run(_ families: [DeploymentFamily], _ actions: RefusingActions, evictTimeout: Int64, seconds: Int64) async {
        let clock = Mutex(reconcileNow)
        let reconciler = Reconciler(
            caches: makeCaches(families), configuration: ControllerConfiguration(evictTimeoutSeconds: evictTimeout),
            actions: actions, clock: { clock.withLock { $0 } })
        for _ in 0..<seconds {
            _ = await reconciler.reconcile(isLeader: true)
            clock.withLock { $0 = $0 + 1 }
        }
    }

    /// The real cluster saw 660 evictions answered 429 in 15 minutes (`--evict-timeout=2m`).
    @Test func aPDBBlockedEvictionOver15Minutes() async {
        let web = DeploymentFamily("shop", "web", ageDays: 340, annotations: ["token-warden.dev/strategy": "evict"])
        let actions = RefusingActions()
        await Self.run([web], actions, evictTimeout: 120, seconds: 900)
        let state = actions.state.withLock { $0 }
        // Waits of 5, 10, 20, 40 s (+ up to 20 %) fit into 120 s; then the give-up waits a quarter
        // of the ~25 days left (capped at 6 h): nothing more in these 15 minutes.
        #expect(state.evictions >= 3 && state.evictions <= 6, "\(state.evictions) evictions")
        #expect(state.giveUps == 1)
    }

    /// The simulated cluster saw 94 refused patches in 40 s; the budget is 20 an hour.
    @Test func anAlwaysRefusedPatchOverAnHour() async {
        let actions = RefusingActions()
        await Self.run([DeploymentFamily("shop", "web", ageDays: 340)], actions, evictTimeout: 600, seconds: 3600)
        let patches = actions.state.withLock { $0.patches }
        #expect(patches >= 5 && patches <= 7, "\(patches) patches")  // every 10–12 min
    }
}
