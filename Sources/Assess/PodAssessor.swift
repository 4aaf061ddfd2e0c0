import KubeModel

/// Applies the token-age model to one pod under a resolved policy. Pure.
struct PodAssessor {
    var policy: EffectivePolicy
    var apiAudiences: Set<String>
    var now: Timestamp

    /// `evidenceIssuedAt`: when the token this pod presented to the API server was issued, from
    /// audit events; it replaces the estimate when it is older.
    func assess(_ pod: Pod, confirmedStale: Bool, evidenceIssuedAt: Timestamp? = nil) -> PodAssessment {
        var result = PodAssessment(
            ref: ObjectRef(pod), phase: pod.status?.phase, nodeName: pod.spec.nodeName,
            ready: pod.status?.isReady ?? false, classification: .outOfScope, explanation: .fixed(""),
            containers: [], deadline: nil, restartDue: nil, oldestTokenIssuedAt: nil,
            confirmedStale: confirmedStale, nextTransition: nil)
        if pod.isMirror {
            result.explanation = .fixed("mirror pod of a static pod: managed by the kubelet, not the API")
            return result
        }
        if pod.metadata.deletionTimestamp != nil {
            result.explanation = .fixed("terminating")
            return result
        }
        guard pod.status?.phase == "Running" else {
            result.explanation = .fixed("not Running (\(pod.status?.phase ?? "no phase"))")
            return result
        }
        result.containers = containerAssessments(pod, evidenceIssuedAt: evidenceIssuedAt)
        guard !result.containers.isEmpty else {
            result.explanation = .fixed(pod.spec.automountServiceAccountToken == false
                ? "automountServiceAccountToken is false and no running container mounts an API token"
                : "no running container mounts an API token")
            return result
        }
        summarise(&result)
        if policy.mode == .ignore {
            result.classification = .outOfScope
            result.explanation = .fixed("ignored (token-warden.dev/mode: ignore)")
        }
        return result
    }

    private func summarise(_ result: inout PodAssessment) {
        let containers = result.containers
        let worst = containers.map(\.classification).min()!
        // The deadline that matters: restartable containers first; unprotectable ones only if
        // nothing else holds a token (a restart cannot move theirs anyway).
        let relevant = containers.filter { $0.classification != .unprotectable }
        let deciding = relevant.isEmpty ? containers : relevant
        result.deadline = deciding.compactMap(\.deadline).min()
        result.oldestTokenIssuedAt = containers.compactMap(\.issuedNotBefore).min()
        result.classification = worst
        if result.confirmedStale && worst.needsRestart { result.classification = .confirmedStale }
        if let deadline = result.deadline {
            result.restartDue = worst == .invalidated ? deadline : deadline - policy.restartBefore
        }
        result.nextTransition = nextTransition(containers)
        result.explanation = .model(PodExplanation.Policy(
            restartBefore: policy.restartBefore, lifetimeIsNone: policy.tokenLifetime == .none,
            tokensInvalidBefore: policy.tokensInvalidBefore))
    }

    private func nextTransition(_ containers: [ContainerAssessment]) -> Timestamp? {
        var candidates: [Timestamp] = []
        for container in containers {
            if let expires = container.expiresAt {
                candidates.append(expires)
                if let lifetime = container.lifetime, lifetime > policy.restartBefore {
                    candidates.append(expires - policy.restartBefore)
                }
            }
            if let rotation = policy.tokensInvalidBefore, container.startedAt < rotation + container.refreshLag {
                candidates.append(rotation)
            }
        }
        return candidates.filter { $0 > now }.min()
    }

    // MARK: - Containers

    private func containerAssessments(_ pod: Pod, evidenceIssuedAt: Timestamp?) -> [ContainerAssessment] {
        var volumes: [String: Volume] = [:]
        for volume in pod.spec.volumes ?? [] { volumes[volume.name] = volume }
        guard !volumes.isEmpty else { return [] }
        let status = pod.status
        var out: [ContainerAssessment] = []
        func add(_ containers: [Container]?, _ statuses: [ContainerStatus]?, role: ContainerAssessment.Role, only: (Container) -> Bool) {
            for container in containers ?? [] where only(container) {
                guard let containerStatus = statuses?.first(where: { $0.name == container.name }), containerStatus.isRunning else { continue }
                let sources = MountedTokenSource.detect(in: container, volumes: volumes, apiAudiences: apiAudiences)
                let assessed = sources.map {
                    assess(container.name, role: role, source: $0, running: containerStatus, pod: pod, evidenceIssuedAt: evidenceIssuedAt)
                }
                // The container's most urgent token speaks for it.
                if let worst = assessed.min(by: { ($0.classification, $0.deadline ?? Timestamp(seconds: .max)) < ($1.classification, $1.deadline ?? Timestamp(seconds: .max)) }) {
                    out.append(worst)
                }
            }
        }
        add(pod.spec.containers, status?.containerStatuses, role: .regular) { _ in true }
        add(pod.spec.initContainers, status?.initContainerStatuses, role: .sidecar) { $0.restartPolicy == "Always" }
        add(pod.spec.ephemeralContainers, status?.ephemeralContainerStatuses, role: .ephemeral) { _ in true }
        return out
    }

    private func assess(
        _ name: String, role: ContainerAssessment.Role, source: MountedTokenSource, running: ContainerStatus, pod: Pod,
        evidenceIssuedAt: Timestamp?
    ) -> ContainerAssessment {
        let (start, startSource): (Timestamp, ContainerAssessment.StartSource)
        if let startedAt = running.runningSince {
            (start, startSource) = (startedAt, .containerStartedAt)
        } else if let podStart = pod.status?.startTime {
            (start, startSource) = (podStart, .podStartTime)
        } else {
            // The API server always sets creationTimestamp; epoch only for hand-built objects.
            (start, startSource) = (pod.metadata.creationTimestamp ?? Timestamp(seconds: 0), .podCreation)
        }
        var lag: Int64 = 0
        var issued: Timestamp?
        if case .projected(_, let expirationSeconds) = source {
            lag = TokenModel.refreshLag(expirationSeconds: expirationSeconds)
            issued = start - lag
            // Only extended tokens (3607 s) are reported stale; the audit log knows their real age.
            if expirationSeconds == TokenModel.warnOnlyExpirationSeconds, let evidence = evidenceIssuedAt, evidence < start - lag {
                issued = evidence
            }
        }
        let lifetime = TokenModel.lifetime(of: source, policy: policy.tokenLifetime)
        let expires: Timestamp? = issued.flatMap { issued in lifetime.map { issued + $0 } }
        var deadline = expires
        let classification: Classification
        if let rotation = policy.tokensInvalidBefore, now >= rotation, start < rotation + lag {
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
            name: name, role: role, source: source, startedAt: start, startSource: startSource, refreshLag: lag,
            issuedNotBefore: issued, lifetime: lifetime, expiresAt: expires, deadline: deadline,
            classification: classification)
    }
}
