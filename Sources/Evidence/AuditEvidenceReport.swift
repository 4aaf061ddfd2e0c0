import KubeModel

/// Counts over everything read, for the report's summary. Nothing here is fatal.
public struct AuditScanSummary: Sendable, Codable, Equatable {
    public var files = 0
    /// Bytes read from disk (compressed size for gzip files).
    public var bytesRead: Int64 = 0
    public var lines = 0
    public var events = 0
    public var staleTokenEvents = 0
    public var legacyTokenInvalidatedEvents = 0
    public var legacyTokenUsedEvents = 0
    public var malformedLines = 0
    public var unknownVersionEvents = 0
    public var oversizedLines = 0
    public var truncatedFiles = 0
    public var corruptFiles = 0
    public var unreadableFiles = 0

    public init() {}
}

/// A workload a pod belongs to, supplied by the caller when it can ask a cluster.
public struct WorkloadReference: Sendable, Codable, Hashable {
    public var namespace: String
    public var kind: String
    public var name: String

    public init(namespace: String, kind: String, name: String) {
        self.namespace = namespace
        self.kind = kind
        self.name = name
    }
}

/// Every stale-token use of one pod (or of one ServiceAccount when the API server recorded no pod).
public struct PodStaleTokenEvidence: Sendable, Codable, Equatable {
    public var namespace: String
    public var pod: String?
    public var podUID: String?
    public var serviceAccount: String
    /// Largest "seconds after warning threshold" seen.
    public var maxSecondsAfterWarning: Int64
    /// Token age at the latest use: `maxSecondsAfterWarning + 3607`.
    public var tokenAgeSeconds: Int64
    /// Requests (final-stage events) made with the stale token.
    public var requests: Int
    public var firstSeen: Timestamp?
    public var lastSeen: Timestamp?
    public var workload: WorkloadReference?
}

/// Every use of one invalidated legacy Secret token.
public struct LegacyTokenEvidence: Sendable, Codable, Equatable {
    public var namespace: String
    public var secret: String
    public var requests: Int
    public var firstSeen: Timestamp?
    public var lastSeen: Timestamp?
}

/// The result of reading audit logs: what `token-warden audit` prints.
public struct AuditEvidenceReport: Sendable, Codable, Equatable {
    public var summary: AuditScanSummary
    /// Most stale first (largest seconds past warning), then namespace and pod.
    public var staleTokenPods: [PodStaleTokenEvidence]
    public var invalidatedLegacyTokens: [LegacyTokenEvidence]
    /// Per-file problems (unreadable, truncated gzip…), in reading order.
    public var problems: [String]

    /// Fills in `workload` from a pod-UID → workload map (built by the caller from the cluster).
    public mutating func joinWorkloads(_ workloadsByPodUID: [String: WorkloadReference]) {
        for index in staleTokenPods.indices {
            if let uid = staleTokenPods[index].podUID, let workload = workloadsByPodUID[uid] {
                staleTokenPods[index].workload = workload
            }
        }
    }
}

/// Folds observations into per-pod and per-secret evidence. Memory grows with the number of
/// distinct pods/secrets with evidence, not with the number of lines.
public struct AuditEvidenceAggregator: Sendable {
    public var summary = AuditScanSummary()
    public private(set) var problems: [String] = []
    private var pods: [String: PodStaleTokenEvidence] = [:]
    private var secrets: [String: LegacyTokenEvidence] = [:]

    public init() {}

    mutating func addProblem(_ problem: String) { problems.append(problem) }

    mutating func add(_ evidence: AuditEventEvidence) {
        if let stale = evidence.staleToken { add(stale) }
        if let legacy = evidence.legacyTokenInvalidated { add(legacy) }
        if evidence.legacyTokenUsed { summary.legacyTokenUsedEvents += 1 }
    }

    public mutating func add(_ observation: StaleTokenObservation) {
        summary.staleTokenEvents += 1
        let key = observation.podUID.map { "uid:" + $0 }
            ?? "sa:\(observation.namespace)/\(observation.serviceAccount)/\(observation.podName ?? "")"
        var entry = pods[key] ?? PodStaleTokenEvidence(
            namespace: observation.namespace, pod: observation.podName, podUID: observation.podUID,
            serviceAccount: observation.serviceAccount, maxSecondsAfterWarning: observation.secondsAfterWarning,
            tokenAgeSeconds: observation.tokenAgeSeconds, requests: 0, firstSeen: nil, lastSeen: nil, workload: nil)
        if observation.secondsAfterWarning > entry.maxSecondsAfterWarning {
            entry.maxSecondsAfterWarning = observation.secondsAfterWarning
            entry.tokenAgeSeconds = observation.tokenAgeSeconds
        }
        if observation.isFinalStage { entry.requests += 1 }
        Self.widen(&entry.firstSeen, &entry.lastSeen, with: observation.time)
        pods[key] = entry
    }

    mutating func add(_ observation: LegacyTokenObservation) {
        summary.legacyTokenInvalidatedEvents += 1
        let key = observation.namespace + "/" + observation.secretName
        var entry = secrets[key] ?? LegacyTokenEvidence(
            namespace: observation.namespace, secret: observation.secretName, requests: 0, firstSeen: nil, lastSeen: nil)
        if observation.isFinalStage { entry.requests += 1 }
        Self.widen(&entry.firstSeen, &entry.lastSeen, with: observation.time)
        secrets[key] = entry
    }

    public func report() -> AuditEvidenceReport {
        let podList = pods.values.sorted { lhs, rhs in
            if lhs.maxSecondsAfterWarning != rhs.maxSecondsAfterWarning {
                return lhs.maxSecondsAfterWarning > rhs.maxSecondsAfterWarning
            }
            return (lhs.namespace, lhs.pod ?? "", lhs.podUID ?? "") < (rhs.namespace, rhs.pod ?? "", rhs.podUID ?? "")
        }
        let secretList = secrets.values.sorted { ($0.namespace, $0.secret) < ($1.namespace, $1.secret) }
        return AuditEvidenceReport(
            summary: summary, staleTokenPods: podList, invalidatedLegacyTokens: secretList, problems: problems)
    }

    private static func widen(_ first: inout Timestamp?, _ last: inout Timestamp?, with time: Timestamp?) {
        guard let time else { return }
        if first == nil || time < first! { first = time }
        if last == nil || time > last! { last = time }
    }
}
