import KubeModel

/// The audit evidence a pod carries in its own annotations (`stale-token-issued-at`,
/// `stale-token-seen-at`), written by whichever replica or command learned it: so every replica,
/// a restarted controller and the next leader read the same facts, and they go with the pod.
enum PodEvidenceAnnotations {
    /// nil without the annotations; a value that does not parse is a diagnostic (a Warning Event
    /// on the pod) and no evidence, so the estimate applies.
    static func read(_ pod: PodRecord) -> (evidence: TokenEvidence?, diagnostics: [Diagnostic]) {
        guard let issuedText = pod.annotations[PolicyAnnotation.staleTokenIssuedAt] else { return (nil, []) }
        let seenText = pod.annotations[PolicyAnnotation.staleTokenSeenAt]
        let object = ObjectRef(kind: "Pod", namespace: pod.namespace, name: pod.name, uid: pod.uid?.description)
        guard let issued = Timestamp(rfc3339: issuedText) else {
            return (nil, [Diagnostic(object: object, annotation: PolicyAnnotation.staleTokenIssuedAt, value: issuedText,
                                     problem: "not an RFC 3339 time; the token-age estimate applies")])
        }
        var diagnostics: [Diagnostic] = []
        var seen = issued
        if let seenText {
            if let parsed = Timestamp(rfc3339: seenText) {
                seen = parsed
            } else {
                diagnostics.append(Diagnostic(object: object, annotation: PolicyAnnotation.staleTokenSeenAt, value: seenText,
                                              problem: "not an RFC 3339 time; the issue time alone is used"))
            }
        }
        return (TokenEvidence(source: .annotation, firstSeen: seen, lastSeen: seen, serviceAccount: nil, tokenIssuedAt: issued), diagnostics)
    }
}
