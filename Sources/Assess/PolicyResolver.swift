import KubeModel

/// Resolves the effective policy of one workload. Never throws: an unusable annotation value
/// becomes a `Diagnostic` and the next level (Namespace, then the defaults) applies.
public struct PolicyResolver: Sendable {
    public var defaults: PolicyDefaults

    public init(defaults: PolicyDefaults) { self.defaults = defaults }

    /// What `resolve` needs to know about the workload beyond its annotations.
    public struct Subject: Sendable {
        public var ref: ObjectRef
        public var kind: WorkloadKind
        /// Annotations to read policy from: the workload's (or the bare pod's); nil when the
        /// workload object is unknown.
        public var annotations: [String: String]?
        /// Why a rollout restart cannot proceed (paused, `OnDelete`: the kind's
        /// `WorkloadKindSpec.templateBlocker`); nil: it can.
        public var templateBlocker: String?

        public init(ref: ObjectRef, kind: WorkloadKind, annotations: [String: String]?, templateBlocker: String? = nil) {
            self.ref = ref
            self.kind = kind
            self.annotations = annotations
            self.templateBlocker = templateBlocker
        }
    }

    public func resolve(_ subject: Subject, namespace: Namespace?) -> (EffectivePolicy, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var origins: [PolicyAnnotation: PolicyOrigin] = [:]
        let nsRef = namespace.map { ObjectRef($0) }
        let levels: [(ObjectRef, [String: String], PolicyOrigin)] = [
            subject.annotations.map { (subject.ref, $0, PolicyOrigin.workload) },
            namespace.flatMap { ns in ns.metadata.annotations.map { (nsRef!, $0, PolicyOrigin.namespace) } },
        ].compactMap { $0 }

        /// The first level whose value parses; diagnostics for those that do not.
        func lookup<T>(_ key: PolicyAnnotation, _ parse: (String) -> Result<T, Problem>) -> T? {
            for (ref, annotations, origin) in levels {
                guard let raw = annotations[key.rawValue] else { continue }
                switch parse(raw) {
                case .success(let value):
                    origins[key] = origin
                    return value
                case .failure(let problem):
                    diagnostics.append(Diagnostic(object: ref, annotation: key.rawValue, value: raw, problem: problem.text))
                }
            }
            origins[key] = .defaults
            return nil
        }

        let mode = lookup(.mode) { raw in
            PolicyMode(rawValue: raw.trimmingWhitespace().lowercased()).map { .success($0) }
                ?? .failure(Problem("unknown mode; use restart, report or ignore"))
        } ?? defaults.mode
        let lifetime = lookup(.tokenLifetime) { raw in TokenLifetime.parse(raw).mapError { Problem("\($0)") } } ?? defaults.tokenLifetime
        let restartBefore = lookup(.restartBefore) { raw in DurationText.parsePositive(raw).mapError { Problem("\($0)") } }
            ?? defaults.restartBefore
        let invalidBefore = lookup(.tokensInvalidBefore) { raw -> Result<Timestamp, Problem> in
            Timestamp(rfc3339: raw.trimmingWhitespace()).map { .success($0) }
                ?? .failure(Problem("not an RFC 3339 instant (e.g. 2026-11-23T18:00:00Z)"))
        } ?? defaults.tokensInvalidBefore
        let window = lookup(.maintenanceWindow) { raw in
            ParsedWindows.parse(raw).mapError { Problem($0.message) }
        } ?? defaults.maintenanceWindow
        var restartOn = lookup(.restartOn) { raw in
            RestartOn(rawValue: raw.trimmingWhitespace().lowercased()).map { .success($0) }
                ?? .failure(Problem("unknown restart-on; use estimate or evidence"))
        } ?? defaults.restartOn
        let fallback = restartOn == .evidence && defaults.evidenceFallback
        if fallback { restartOn = .estimate }  // fail-safe: a silent evidence source proves nothing
        let maxLead = lookup(.maxLead) { raw -> Result<Int64, Problem> in
            switch DurationText.parse(raw) {
            case .success(let seconds) where seconds >= 0: return .success(seconds)
            case .success: return .failure(Problem("\(DurationText.ParseError.negative)"))
            case .failure(let error): return .failure(Problem("\(error)"))
            }
        } ?? defaults.maxLead
        let (strategy, note) = resolveStrategy(subject, levels: levels, origins: &origins, diagnostics: &diagnostics)

        var policy = EffectivePolicy(
            mode: mode, tokenLifetime: lifetime, restartBefore: restartBefore, tokensInvalidBefore: invalidBefore,
            strategy: strategy, strategyNote: note, maintenanceWindow: window, restartOn: restartOn, maxLead: maxLead,
            origins: origins)
        policy.evidenceFallback = fallback
        return (policy, diagnostics)
    }

    /// The annotated strategy if the kind allows it, else the kind's default; then what the
    /// workload's state permits (the kind's template blocker: paused, `OnDelete`).
    private func resolveStrategy(
        _ subject: Subject, levels: [(ObjectRef, [String: String], PolicyOrigin)],
        origins: inout [PolicyAnnotation: PolicyOrigin], diagnostics: inout [Diagnostic]
    ) -> (RestartStrategy, String?) {
        let traits = subject.kind.traits
        var chosen = traits.defaultStrategy
        var explicit = false
        origins[.strategy] = .defaults
        for (ref, annotations, origin) in levels {
            guard let raw = annotations[PolicyAnnotation.strategy.rawValue] else { continue }
            guard let value = RestartStrategy(rawValue: raw.trimmingWhitespace().lowercased()), value != .warnOnly else {
                diagnostics.append(Diagnostic(object: ref, annotation: PolicyAnnotation.strategy.rawValue, value: raw,
                                              problem: "unknown strategy; use rollout, evict or recreate"))
                continue
            }
            guard traits.allowedStrategies.contains(value) else {
                // A Namespace-wide strategy applies to the kinds it fits; only the workload's own
                // annotation is an error when it does not fit.
                if origin == .workload {
                    let allowed = traits.allowedStrategies.map(\.rawValue).sorted().joined(separator: ", ")
                    diagnostics.append(Diagnostic(object: ref, annotation: PolicyAnnotation.strategy.rawValue, value: raw,
                                                  problem: "not possible for a \(subject.kind.kindName) (allowed: \(allowed))"))
                }
                continue
            }
            chosen = value
            explicit = true
            origins[.strategy] = origin
            break
        }
        guard chosen == .rollout else { return (chosen, nil) }
        guard let blocker = subject.templateBlocker else { return (.rollout, nil) }
        if explicit {
            return (.warnOnly, "\(blocker); strategy rollout was asked for explicitly (set strategy: evict to allow evictions)")
        }
        return (.evict, "\(blocker); evicting pod by pod instead")
    }

    struct Problem: Error {
        var text: String
        init(_ text: String) { self.text = text }
    }
}
