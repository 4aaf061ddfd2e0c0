import Assess
import KubeModel
import Plan

/// `token-warden report -o json`: a stable document for scripts. Keys always appear (null when
/// unknown), in this order; times are RFC 3339 UTC; durations are whole seconds.
///
///     {
///       "apiVersion": "token-warden.dev/v1alpha1", "kind": "TokenReport",
///       "generatedAt": time,
///       "summary": { "workloads": n, "confirmedStale": n, "invalidated": n, "expired": n, "atRisk": n,
///                    "unconfirmed": n, "unprotectable": n, "ok": n, "outOfScope": n, "predictedMisses": n|null,
///                    "exitCode": 0|1 },
///       "clusterTokenLifetime": { "tokenLifetime": "90d"|"none"|…, "lifetimeSeconds": int|null,
///                                 "source": "lease"|"fallback"|"flag", "note": string } | null (explicit flag),
///       "workloads": [ {
///         "namespace", "kind", "name", "uid": string|null,
///         "status": "confirmed-stale"|"invalidated"|"expired"|"at-risk"|"unconfirmed"|"unprotectable"|"ok"|"out-of-scope",
///         "reason": string,
///         "deadline": time|null, "expiresInSeconds": int|null (negative once passed),
///         "restartDue": time|null, "oldestTokenIssuedAt": time|null, "confirmedStale": bool,
///         "strategy": "rollout"|"evict"|"recreate"|"warn-only", "strategyNote": string|null,
///         "policy": { "mode", "tokenLifetime": "365d"|"none"|…, "restartBeforeSeconds": int,
///                     "tokensInvalidBefore": time|null, "maintenanceWindow": string|null,
///                     "restartOn": "estimate"|"evidence", "evidenceFallback": bool (evidence asked for,
///                     the source is silent: the estimate applies),
///                     "sources": { "<annotation>": "workload"|"namespace"|"default", … } },
///         "restartState": { "restartedAt": time|null, "restartForDeadline": time|null },
///         "action": { "type": "restart"|"resume-restart"|"deferred"|"in-progress"|"rollout-timed-out"|
///                             "warn-only"|"already-restarted",
///                     "strategy": string|null, "cause": string|null, "until": time|null, "message": string } | null,
///         "forecast": { "earliestStart": time|null, "expectedCompletion": time|null,
///                       "missesDeadline": bool, "deadlinePassed": bool,
///                       "upcoming": bool (not due yet, due within the forecast horizon) } | null,
///         "ownerChain": [ { "kind", "name" } ],
///         "pods": [ { "name", "uid", "status", "reason", "deadline", "restartDue", "oldestTokenIssuedAt",
///                     "confirmedStale", "evidence": { "tokenIssuedAt": time, "seenAt": time,
///                     "source": "annotation"|"webhook" } | null,
///                     "containers": [ { "name", "role": "regular"|"sidecar"|"ephemeral",
///                                       "source": "projected"|"legacy-secret", "volume",
///                                       "expirationSeconds": int|null, "startedAt": time,
///                                       "startSource": "container"|"pod-start"|"pod-creation",
///                                       "refreshLagSeconds": int, "issuedNotBefore": time|null,
///                                       "lifetimeSeconds": int|null, "expiresAt": time|null, "status" } ] } ],
///         "diagnostics": [ diagnostic ] } ],
///       "diagnostics": [ { "object": { "kind", "namespace", "name" }, "annotation", "value", "problem" } ]
///     }
///
/// `action` and `forecast` are null when the report was made without a plan or the plan has
/// nothing for the workload. New keys may be added; existing ones keep their meaning.
struct ReportJSON {
    var renderer: ReportRenderer

    static let apiVersion = "token-warden.dev/v1alpha1"

    /// The whole document as one value. `write` streams the same bytes; this form states the
    /// schema in one place and is what the streamed output is tested against.
    func document() -> OrderedJSON {
        .object(head() + [
            ("workloads", .array(renderer.shown.map(workload))),
            ("diagnostics", .array(renderer.assessment.diagnostics.map(diagnostic))),
        ])
    }

    /// `document().serialized()`, written workload by workload: `emit` gets the output in chunks
    /// of about `chunkSize` bytes, and no more than one workload's value is built at a time, so
    /// the output of a 150k-pod cluster is never held whole.
    func write(chunkSize: Int = 1 << 16, _ emit: ([UInt8]) -> Void) {
        var out: [UInt8] = []
        out.reserveCapacity(chunkSize + chunkSize / 4)
        write(into: &out, indent: 0) { out in
            if out.count >= chunkSize {
                emit(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        out.append(UInt8(ascii: "\n"))
        emit(out)
    }

    /// The document at `indent` (a member of a fleet report), without a trailing newline;
    /// `flush` is offered the output after each workload.
    func write(into out: inout [UInt8], indent: Int, flush: (inout [UInt8]) -> Void) {
        func member(_ key: String, first: Bool = false) {
            if !first { out.append(UInt8(ascii: ",")) }
            OrderedJSON.newline(&out, indent + 4)
            OrderedJSON.quote(key, into: &out)
            out.append(contentsOf: ": ".utf8)
        }
        out.append(UInt8(ascii: "{"))
        for (i, (key, value)) in head().enumerated() {
            member(key, first: i == 0)
            value.write(into: &out, indent: indent + 4)
        }
        member("workloads")
        let shown = renderer.shown
        if shown.isEmpty {
            out.append(contentsOf: "[]".utf8)
        } else {
            out.append(UInt8(ascii: "["))
            for (i, w) in shown.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                OrderedJSON.newline(&out, indent + 8)
                workload(w).write(into: &out, indent: indent + 8)
                flush(&out)
            }
            OrderedJSON.newline(&out, indent + 4)
            out.append(UInt8(ascii: "]"))
        }
        member("diagnostics")
        OrderedJSON.array(renderer.assessment.diagnostics.map(diagnostic)).write(into: &out, indent: indent + 4)
        OrderedJSON.newline(&out, indent)
        out.append(UInt8(ascii: "}"))
    }

    /// The members before the workloads.
    private func head() -> [(String, OrderedJSON)] {
        let assessment = renderer.assessment
        let counts = assessment.counts
        func count(_ c: Classification) -> OrderedJSON { .int(Int64(counts[c] ?? 0)) }
        let summary: OrderedJSON = .object([
            ("workloads", .int(Int64(renderer.shown.count))),
            ("confirmedStale", count(.confirmedStale)), ("invalidated", count(.invalidated)), ("expired", count(.expired)),
            ("atRisk", count(.atRisk)), ("unconfirmed", count(.unconfirmed)), ("unprotectable", count(.unprotectable)), ("ok", count(.ok)), ("outOfScope", count(.outOfScope)),
            ("predictedMisses", .int(renderer.plan.map { Int64($0.predictedMisses.count) })),
            ("exitCode", .int(Int64(renderer.exitCode))),
        ])
        let cluster: OrderedJSON = renderer.options.clusterTokenLifetime.map { cluster in
            .object([
                ("tokenLifetime", .string(cluster.lifetime.description)),
                ("lifetimeSeconds", .int(cluster.lifetime == .none ? nil : cluster.seconds)),
                ("source", .string(cluster.source.rawValue)), ("note", .string(cluster.evidence)),
            ])
        } ?? .null
        return [
            ("apiVersion", .string(Self.apiVersion)), ("kind", .string("TokenReport")),
            ("generatedAt", .string(assessment.generatedAt.rfc3339)),
            ("summary", summary),
            ("clusterTokenLifetime", cluster),
        ]
    }

    private func time(_ t: Timestamp?) -> OrderedJSON { .string(t?.rfc3339) }

    private func workload(_ w: WorkloadAssessment) -> OrderedJSON {
        let now = renderer.assessment.generatedAt
        let policy = w.policy
        let sources: [(String, OrderedJSON)] = PolicyAnnotation.allCases.map { key in
            (key.rawValue, .string((policy.origins[key] ?? .defaults).rawValue))
        }
        return .object([
            ("namespace", .string(w.id.namespace)), ("kind", .string(w.id.kind.kindName)), ("name", .string(w.id.name)),
            ("uid", .string(w.ref.uid)),
            ("status", .string(w.classification.rawValue)), ("reason", .string(w.reason)),
            ("deadline", time(w.deadline)), ("expiresInSeconds", .int(w.deadline.map { $0 - now })),
            ("restartDue", time(w.restartDue)), ("oldestTokenIssuedAt", time(w.oldestTokenIssuedAt)),
            ("confirmedStale", .bool(w.confirmedStale)),
            ("strategy", .string(w.strategy.rawValue)), ("strategyNote", .string(policy.strategyNote)),
            ("policy", .object([
                ("mode", .string(policy.mode.rawValue)), ("tokenLifetime", .string(policy.tokenLifetime.description)),
                ("restartBeforeSeconds", .int(policy.restartBefore)), ("tokensInvalidBefore", time(policy.tokensInvalidBefore)),
                ("maintenanceWindow", .string(policy.maintenanceWindow?.spec)),
                ("restartOn", .string(policy.restartOn.rawValue)), ("evidenceFallback", .bool(policy.evidenceFallback)),
                ("sources", .object(sources)),
            ])),
            ("restartState", .object([
                ("restartedAt", time(w.restartState.restartedAt)), ("restartForDeadline", time(w.restartState.restartForDeadline)),
            ])),
            ("action", action(renderer.decisions[w.id])),
            ("forecast", forecast(renderer.forecasts[w.id])),
            ("ownerChain", .array(w.ownerChain.map { .object([("kind", .string($0.kind)), ("name", .string($0.name))]) })),
            ("pods", .array(w.pods.map(pod))),
            ("diagnostics", .array(w.diagnostics.map(diagnostic))),
        ])
    }

    private func action(_ decision: Decision?) -> OrderedJSON {
        guard let decision else { return .null }
        var strategy: String?
        var cause: String?
        var until: Timestamp?
        switch decision.action {
        case .restart(let s, _): strategy = s.rawValue
        case .deferred(let c, let u): (cause, until) = (c.rawValue, u)
        case .inProgress(let since), .rolloutTimedOut(let since): until = since
        case .warnOnly(let reason): cause = reason.rawValue
        case .alreadyRestarted(let deadline): until = deadline
        }
        return .object([
            ("type", .string(decision.action.name)), ("strategy", .string(strategy)), ("cause", .string(cause)),
            ("until", time(until)), ("message", .string(decision.message)),
        ])
    }

    private func forecast(_ entry: ForecastEntry?) -> OrderedJSON {
        guard let entry else { return .null }
        return .object([
            ("earliestStart", time(entry.earliestStart)), ("expectedCompletion", time(entry.expectedCompletion)),
            ("missesDeadline", .bool(entry.missesDeadline)), ("deadlinePassed", .bool(entry.deadlinePassed)),
            ("upcoming", .bool(entry.upcoming)),
        ])
    }

    private func pod(_ p: PodAssessment) -> OrderedJSON {
        .object([
            ("name", .string(p.ref.name)), ("uid", .string(p.ref.uid)), ("status", .string(p.classification.rawValue)),
            ("reason", .string(p.reason)), ("deadline", time(p.deadline)), ("restartDue", time(p.restartDue)),
            ("oldestTokenIssuedAt", time(p.oldestTokenIssuedAt)), ("confirmedStale", .bool(p.confirmedStale)),
            ("evidence", evidence(p)),
            ("containers", .array(p.assessContainers().map(container))),
        ])
    }

    private func evidence(_ p: PodAssessment) -> OrderedJSON {
        guard p.confirmedStale, let issued = p.evidenceTokenIssuedAt else { return .null }
        return .object([
            ("tokenIssuedAt", time(issued)), ("seenAt", time(p.evidenceSeenAt)),
            ("source", .string(p.evidenceOnPod ? "annotation" : "webhook")),
        ])
    }

    private func container(_ c: ContainerAssessment) -> OrderedJSON {
        let (source, expirationSeconds): (String, Int64?)
        switch c.source {
        case .projected(_, let seconds): (source, expirationSeconds) = ("projected", seconds)
        case .legacySecret: (source, expirationSeconds) = ("legacy-secret", nil)
        }
        return .object([
            ("name", .string(c.name)), ("role", .string(c.role.rawValue)), ("source", .string(source)),
            ("volume", .string(c.source.volume)), ("expirationSeconds", .int(expirationSeconds)),
            ("startedAt", time(c.startedAt)), ("startSource", .string(c.startSource.rawValue)),
            ("refreshLagSeconds", .int(c.refreshLag)), ("issuedNotBefore", time(c.issuedNotBefore)),
            ("lifetimeSeconds", .int(c.lifetime)), ("expiresAt", time(c.expiresAt)), ("status", .string(c.classification.rawValue)),
        ])
    }

    private func diagnostic(_ d: Diagnostic) -> OrderedJSON {
        .object([
            ("object", .object([("kind", .string(d.object.kind)), ("namespace", .string(d.object.namespace)), ("name", .string(d.object.name))])),
            ("annotation", .string(d.annotation)), ("value", .string(d.value)), ("problem", .string(d.problem)),
        ])
    }
}
