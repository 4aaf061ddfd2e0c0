import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `/readyz` reports, updated by the controller's services from any thread.
///
/// Ready means: the watch caches have synced, the ServiceAccount token file is readable, and the
/// API server answered successfully within `apiReachabilityWindow` (default 2 minutes: several
/// resync periods, so one slow request does not flap readiness). `/healthz` does not look at this:
/// a process that answers HTTP is alive.
public final class HealthState: Sendable {
    public static let defaultAPIReachabilityWindow: Double = 120

    private struct State {
        var cachesSynced = false
        var tokenReadable = false
        var tokenProblem: String? = "token not read yet"
        var lastAPISuccess: Double?
        var lastAPIFailure: String?
        /// The server answered 401 and nothing has succeeded since: the token is not accepted.
        var tokenRejected = false
        /// nil: no evidence source (no webhook); "": live; else why it is not.
        var evidenceSourceProblem: String?
    }

    private let state = Mutex(State())
    public let apiReachabilityWindow: Double
    private let clock: @Sendable () -> Double

    /// - Parameters:
    ///   - apiReachabilityWindow: seconds a successful API response counts as "reachable".
    ///   - clock: Unix time in seconds (injected by tests).
    public init(
        apiReachabilityWindow: Double = HealthState.defaultAPIReachabilityWindow,
        clock: @escaping @Sendable () -> Double = HealthState.systemClock
    ) {
        self.apiReachabilityWindow = apiReachabilityWindow
        self.clock = clock
    }

    @Sendable public static func systemClock() -> Double {
        Double(RFC3339Time.nowMilliseconds()) / 1000
    }

    /// The watch caches completed their initial list (or lost it again: pass false).
    public func setCachesSynced(_ synced: Bool) {
        state.withLock { $0.cachesSynced = synced }
    }

    /// The token file was read (or failed to be read, with a short reason that never contains the token).
    public func setTokenReadable(_ readable: Bool, problem: String? = nil) {
        state.withLock {
            $0.tokenReadable = readable
            $0.tokenProblem = readable ? nil : (problem ?? "token file not readable")
        }
    }

    /// Any API request that got an HTTP response that proves the server works (2xx, 404, 409…).
    public func recordAPISuccess() {
        let now = clock()
        state.withLock {
            $0.lastAPISuccess = now
            $0.lastAPIFailure = nil
            $0.tokenRejected = false
        }
    }

    /// A request that got no usable answer (connection refused, timeout, 5xx); shown in `/readyz`.
    public func recordAPIFailure(_ problem: String) {
        state.withLock { $0.lastAPIFailure = problem }
    }

    /// The server rejected the token (401): not ready until a request succeeds again (a valid
    /// token appears), rather than only after the reachability window ran out.
    public func recordTokenRejected() {
        state.withLock {
            $0.tokenRejected = true
            $0.lastAPIFailure = "the API server rejected the token (401 Unauthorized)"
        }
    }

    /// The audit webhook's state, reported in `/readyz` as `evidence-source` without failing
    /// readiness (the controller works on, by the estimate): nil when live, else why not.
    public func setEvidenceSource(problem: String?) {
        state.withLock { $0.evidenceSourceProblem = problem ?? "" }
    }

    /// The readiness checks in `/readyz` order.
    public func checks() -> [HealthCheckResult] {
        let now = clock()
        let snapshot = state.withLock { $0 }
        var results: [HealthCheckResult] = []
        results.append(HealthCheckResult(
            name: "caches-synced", passed: snapshot.cachesSynced,
            problem: snapshot.cachesSynced ? nil : "watch caches have not synced"))
        let tokenUsable = snapshot.tokenReadable && !snapshot.tokenRejected
        results.append(HealthCheckResult(
            name: "token-readable", passed: tokenUsable,
            problem: tokenUsable ? nil
                : (snapshot.tokenReadable ? "the API server rejected the token (401 Unauthorized)" : snapshot.tokenProblem)))
        let reachable: Bool
        var problem: String?
        if let last = snapshot.lastAPISuccess {
            reachable = now - last <= apiReachabilityWindow
            if !reachable {
                problem = "no successful API request in the last \(Int(apiReachabilityWindow))s"
                if let failure = snapshot.lastAPIFailure { problem! += " (last failure: \(failure))" }
            }
        } else {
            reachable = false
            problem = "no successful API request yet"
            if let failure = snapshot.lastAPIFailure { problem! += " (last failure: \(failure))" }
        }
        results.append(HealthCheckResult(name: "api-reachable", passed: reachable, problem: problem))
        if let evidence = snapshot.evidenceSourceProblem {
            results.append(HealthCheckResult(
                name: "evidence-source", passed: evidence.isEmpty, problem: evidence.isEmpty ? nil : evidence, gatesReadiness: false))
        }
        return results
    }

    public var isReady: Bool { checks().allSatisfy { $0.passed || !$0.gatesReadiness } }
}

/// One line of `/readyz`.
public struct HealthCheckResult: Sendable, Equatable {
    public let name: String
    public let passed: Bool
    public let problem: String?
    /// False: shown, but readiness does not depend on it.
    public let gatesReadiness: Bool

    public init(name: String, passed: Bool, problem: String?, gatesReadiness: Bool = true) {
        self.name = name
        self.passed = passed
        self.problem = problem
        self.gatesReadiness = gatesReadiness
    }
}
