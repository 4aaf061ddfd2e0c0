import KubeModel

/// Applies the token-age model to one cached pod under a resolved policy. Pure. Runs once per
/// pod per reconcile, so it works on the record's precomputed token mounts and allocates only
/// the assessment itself.
/// A reference, shared by the assessments it makes: they rebuild their containers' assessments
/// through it when asked (see `PodAssessment.assessContainers()`).
final class PodAssessor: Sendable {
    let policy: EffectivePolicy
    let apiAudiences: Set<String>
    let now: Timestamp

    init(policy: EffectivePolicy, apiAudiences: Set<String>, now: Timestamp) {
        self.policy = policy
        self.apiAudiences = apiAudiences
        self.now = now
    }

    /// `evidence`: what audit events showed about the token this pod presents; its issue time
    /// replaces the estimate when it is older.
    /// Evidence last seen before every token-holding container started is about an earlier
    /// process (the container restarted and read a fresh token): it is not used.
    func assess(_ pod: PodRecord, evidence: TokenEvidence?) -> PodAssessment {
        let applicable = evidence.flatMap { evidence in pod.tokenMounts.contains { $0.startedAt <= evidence.lastSeen } ? evidence : nil }
        let confirmedStale = applicable != nil
        let evidenceIssuedAt = applicable?.tokenIssuedAt
        let evidenceSeenAt = applicable?.lastSeen
        var result = PodAssessment(
            record: pod, classification: .outOfScope,
            explanation: .fixed(""), containerSource: nil, deadline: nil, restartDue: nil, oldestTokenIssuedAt: nil,
            confirmedStale: confirmedStale, nextTransition: nil)
        if pod.isMirror {
            result.explanation = .fixed("mirror pod of a static pod: managed by the kubelet, not the API")
            return result
        }
        if pod.isTerminating {
            result.explanation = .fixed("terminating")
            return result
        }
        guard pod.phase == .running else {
            result.explanation = .fixed("not Running (\(pod.phase.text ?? "no phase"))")
            return result
        }
        let containers = containerAssessments(pod, evidenceIssuedAt: evidenceIssuedAt, evidenceSeenAt: evidenceSeenAt)
        guard !containers.isEmpty else {
            result.explanation = .fixed(pod.automountDisabled
                ? "automountServiceAccountToken is false and no running container mounts an API token"
                : "no running container mounts an API token")
            return result
        }
        summarise(&result, containers)
        // Not kept: every pod's are rebuilt from the record when asked for (reports, explanations).
        result.containerSource = PodAssessment.ContainerSource(assessor: self, evidenceIssuedAt: evidenceIssuedAt, evidenceSeenAt: evidenceSeenAt)
        if policy.mode == .ignore {
            result.classification = .outOfScope
            result.explanation = .fixed("ignored (token-warden.dev/mode: ignore)")
        }
        return result
    }

    private func summarise(_ result: inout PodAssessment, _ containers: [ContainerAssessment]) {
        var worst = Classification.outOfScope
        var deadline: Timestamp?, fallbackDeadline: Timestamp?, oldest: Timestamp?
        for container in containers {
            worst = min(worst, container.classification)
            oldest = earliest(oldest, container.issuedNotBefore)
            // The deadline that matters: restartable containers first; unprotectable ones only if
            // nothing else holds a token (a restart cannot move theirs anyway).
            if container.classification == .unprotectable {
                fallbackDeadline = earliest(fallbackDeadline, container.deadline)
            } else {
                deadline = earliest(deadline, container.deadline)
            }
        }
        let hasRestartable = containers.contains { $0.classification != .unprotectable }
        result.deadline = hasRestartable ? deadline : fallbackDeadline
        result.oldestTokenIssuedAt = oldest
        result.classification = worst
        if result.confirmedStale && worst.needsRestart {
            result.classification = .confirmedStale
        } else if policy.restartOn == .evidence, worst == .atRisk || worst == .expired {
            result.classification = .unconfirmed  // no audit evidence: reported, not restarted
        }
        if let deadline = result.deadline {
            result.restartDue = worst == .invalidated ? deadline : deadline - policy.restartBefore
        }
        result.nextTransition = nextTransition(containers, podCreated: result.record.creationTimestamp)
        result.explanation = .model(PodExplanation.Policy(
            restartBefore: policy.restartBefore, lifetimeIsNone: policy.tokenLifetime == .none,
            tokensInvalidBefore: policy.tokensInvalidBefore))
    }

    private func nextTransition(_ containers: [ContainerAssessment], podCreated: Timestamp?) -> Timestamp? {
        var next: Timestamp?
        func consider(_ instant: Timestamp) {
            if instant > now { next = earliest(next, instant) }
        }
        for container in containers {
            if let expires = container.expiresAt {
                consider(expires)
                if let lifetime = container.lifetime, lifetime > policy.restartBefore {
                    consider(expires - policy.restartBefore)
                }
            }
            if let rotation = policy.tokensInvalidBefore,
               Self.mayHoldTokenFromBefore(rotation, startedAt: container.startedAt, lag: container.refreshLag,
                                           projected: Self.isProjected(container.source), podCreated: podCreated) {
                consider(rotation)
            }
        }
        return next
    }

    // MARK: - Containers

    /// One assessment per running container holding an API token: its most urgent token speaks
    /// for it. Mounts come grouped by container (see `TokenMount.mounts(of:)`).
    func containerAssessments(_ pod: PodRecord, evidenceIssuedAt: Timestamp?, evidenceSeenAt: Timestamp?) -> [ContainerAssessment] {
        let mounts = pod.tokenMounts
        guard !mounts.isEmpty else { return [] }
        var out: [ContainerAssessment] = []
        out.reserveCapacity(1)
        var index = 0
        while index < mounts.count {
            let container = mounts[index].container, role = mounts[index].role
            var worst: ContainerAssessment?
            while index < mounts.count, mounts[index].container == container, mounts[index].role == role {
                if let source = apiSource(mounts[index]) {
                    // Only a container already running when the API server saw the old token can hold it.
                    let started = mounts[index].startedAt
                    let applies = evidenceSeenAt.map { started <= $0 } ?? false
                    let assessed = assess(mounts[index], source: source, evidenceIssuedAt: applies ? evidenceIssuedAt : nil,
                                          podCreated: pod.creationTimestamp)
                    if worst.map({ Self.moreUrgent(assessed, than: $0) }) ?? true { worst = assessed }
                }
                index += 1
            }
            if let worst { out.append(worst) }
        }
        return out
    }

    /// Whether the container may hold a token issued before `rotation`: it started within the
    /// refresh lag after it — unless the token is projected and its pod was created at or after
    /// it. A projected token is requested for its pod (bound to the pod's uid), so it is never
    /// older than the pod; the lag matters only for a container restarted inside a pod that
    /// existed before the rotation. (Without that, a replacement our own rotation restart created
    /// within the lag stayed "invalidated" for good, which hid its own expiry a year later.)
    static func mayHoldTokenFromBefore(_ rotation: Timestamp, startedAt: Timestamp, lag: Int64, projected: Bool, podCreated: Timestamp?) -> Bool {
        guard startedAt < rotation + lag else { return false }
        if projected, let podCreated, podCreated >= rotation { return false }
        return true
    }

    private static func isProjected(_ source: MountedTokenSource) -> Bool {
        if case .projected = source { return true }
        return false
    }

    private static func moreUrgent(_ a: ContainerAssessment, than b: ContainerAssessment) -> Bool {
        (a.classification, a.deadline ?? Timestamp(seconds: .max)) < (b.classification, b.deadline ?? Timestamp(seconds: .max))
    }

    /// The mount as an API token source; nil for a projected token meant for another audience.
    private func apiSource(_ mount: TokenMount) -> MountedTokenSource? {
        if case .projected(_, let audience) = mount.source, !audience.isEmpty, !apiAudiences.contains(audience) { return nil }
        return MountedTokenSource(mount)
    }

    private func assess(_ mount: TokenMount, source: MountedTokenSource, evidenceIssuedAt: Timestamp?, podCreated: Timestamp?) -> ContainerAssessment {
        let start = mount.startedAt
        var lag: Int64 = 0
        var issued: Timestamp?
        if case .projected(_, let expirationSeconds) = source {
            lag = TokenModel.refreshLag(expirationSeconds: expirationSeconds)
            issued = start - lag
            // Only extended tokens (3607 s) are reported stale; the audit log knows their real age.
            // With restart-on: evidence, the evidence's issue time is the deadline's base even when
            // the estimate is older.
            if expirationSeconds == TokenModel.warnOnlyExpirationSeconds, let evidence = evidenceIssuedAt,
               evidence < start - lag || policy.restartOn == .evidence {
                issued = evidence
            }
        }
        let lifetime = TokenModel.lifetime(of: source, policy: policy.tokenLifetime)
        let expires: Timestamp? = issued.flatMap { issued in lifetime.map { issued + $0 } }
        var deadline = expires
        let classification: Classification
        if let rotation = policy.tokensInvalidBefore, now >= rotation,
           Self.mayHoldTokenFromBefore(rotation, startedAt: start, lag: lag, projected: Self.isProjected(source), podCreated: podCreated) {
            classification = .invalidated
            deadline = rotation
        } else if let lifetime, lifetime <= policy.restartBefore {
            classification = .unprotectable
        } else if let expires, expires <= now {
            classification = .expired
        } else if let expires, expires - now <= policy.restartBefore {
            classification = .atRisk
        } else {
            classification = .ok
        }
        return ContainerAssessment(
            mount: mount, refreshLag: lag, issuedNotBefore: issued, lifetime: lifetime, expiresAt: expires, deadline: deadline,
            classification: classification)
    }
}

/// The earlier of two optional instants; nil only when both are.
func earliest(_ a: Timestamp?, _ b: Timestamp?) -> Timestamp? {
    guard let a else { return b }
    guard let b else { return a }
    return min(a, b)
}
