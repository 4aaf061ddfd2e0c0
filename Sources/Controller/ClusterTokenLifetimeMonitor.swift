import Act
import APIClient
import Assess
import KubeModel
import Logging
import Observe
import Synchronization

/// Keeps the cluster-wide token lifetime current. With `--token-lifetime auto` it decodes the
/// claims of the controller's own token each time the token file was re-read (the kubelet
/// rotates it about every 48 minutes), logs the value with its evidence, exports it, and says
/// once, loudly, when extension is off (log, Event on the controller's own pod, metric). With an
/// explicit flag the flag's value is used and only exported. The token itself is never logged.
public final class ClusterTokenLifetimeMonitor: Sendable {
    private struct State: Sendable {
        var current: ClusterTokenLifetime
        /// The token source's reload count when its token was last decoded.
        var decodedAtReload: Int?
        var reported = false
        /// Extension-off has been announced (and not retracted by a later token).
        var announcedOff = false
        /// The extension-off Event, until it has been handed to the recorder by a replica that
        /// may write: a follower, or a leader whose lease is in doubt, keeps it for a later pass.
        var owedEvent: WardenEvent?
    }

    private let token: TokenSource?
    private let auto: Bool
    private let inCluster: Bool
    private let metrics: WardenMetrics?
    private let logger: Logger
    private let state: Mutex<State>
    /// The controller's own pod (`ControllerPod`), where the extension-off Event goes.
    private let ownPod: ObjectRef?

    /// - Parameters:
    ///   - explicit: the `--token-lifetime` value; nil for `auto`.
    ///   - token: the controller's own token source (nil: a client certificate or no token).
    ///   - inCluster: the configuration is the pod's own (in-cluster); outside a pod `auto` falls back.
    ///   - ownPod: the controller's own pod (nil: the pod the detected token names).
    public init(explicit: TokenLifetime?, token: TokenSource?, inCluster: Bool, ownPod: ObjectRef? = nil, metrics: WardenMetrics?, logger: Logger) {
        self.token = token
        self.ownPod = ownPod
        self.auto = explicit == nil
        self.inCluster = inCluster
        self.metrics = metrics
        self.logger = logger
        let initial: ClusterTokenLifetime
        if let explicit {
            initial = ClusterTokenLifetime(lifetime: explicit, source: .flag, evidence: "set by --token-lifetime \(explicit)")
        } else if !inCluster || token?.path == nil {
            initial = .fallback("not running in a pod with its projected ServiceAccount token (kubeconfig credentials)")
        } else {
            initial = .fallback("the controller's own token has not been read yet")
        }
        state = Mutex(State(current: initial))
    }

    /// The value in use now.
    public var current: ClusterTokenLifetime { state.withLock { $0.current } }

    /// What the leader publishes on its Lease for `report`.
    public var leaseAnnotations: [String: String] { current.leaseAnnotations }

    /// Decodes the own token again if it was re-read since the last look; reports a change.
    /// Returns the extension-off Event while it is owed: from the look that found extension off
    /// until `eventDelivered()` (or a later token that shows extension on).
    public func refresh() -> WardenEvent? {
        var next: ClusterTokenLifetime?
        if auto, inCluster, let token, token.path != nil {
            let reloads = token.reloadCount
            if state.withLock({ $0.decodedAtReload }) != reloads {
                do {
                    next = ClusterTokenLifetimeDetector.detect(token: try token.token())
                    state.withLock { $0.decodedAtReload = token.reloadCount }
                } catch {
                    // Unreadable now: the health check reports it; keep the value found before.
                    logger.warning("cannot read the own token to detect the cluster token lifetime", metadata: ["error": "\(error)"])
                }
            }
        }
        let (changed, value, announce) = state.withLock { s -> (Bool, ClusterTokenLifetime, Bool) in
            let changed = next.map { $0.lifetime != s.current.lifetime || $0.source != s.current.source } ?? false
            if let next { s.current = next }
            let first = !s.reported
            s.reported = true
            var announce = false
            // Said when the cluster's own token shows it, not when a flag says `none`.
            if s.current.extensionIsOff, s.current.source == .detected, !s.announcedOff {
                s.announcedOff = true
                announce = true
            } else if !s.current.extensionIsOff {
                s.announcedOff = false
                s.owedEvent = nil
            }
            return (changed || first, s.current, announce)
        }
        guard changed || announce else { return state.withLock { $0.owedEvent } }
        metrics?.setClusterTokenLifetime(seconds: value.seconds, source: value.source.rawValue)
        let metadata: Logger.Metadata = [
            "tokenLifetime": "\(value.lifetime)", "source": "\(value.source.rawValue)", "evidence": "\(value.evidence)",
        ]
        if announce {
            logger.critical("token extension is off in this cluster: old clients fail about an hour after they start and restarts cannot protect them; workloads are reported Unprotectable", metadata: metadata)
            guard let pod = ownPod ?? value.ownPod else { return nil }
            let event = WardenEvent(
                regarding: pod, type: .warning, reason: .tokenExtensionOff,
                message: "The API server does not extend ServiceAccount tokens (\(value.evidence)): clients that read their token once fail about an hour after they start, and restarts cannot protect them. Workloads are reported Unprotectable.",
                action: "DetectTokenLifetime")
            state.withLock { $0.owedEvent = event }
            return event
        }
        if value.source == .fallback {
            logger.warning("cluster token lifetime: using the default", metadata: metadata)
        } else {
            logger.notice("cluster token lifetime", metadata: metadata)
        }
        return state.withLock { $0.owedEvent }
    }

    /// The owed Event was handed to the recorder (written, queued for a retry, or dropped on an
    /// error a retry would not mend): not returned again.
    public func eventDelivered() {
        state.withLock { $0.owedEvent = nil }
    }
}
