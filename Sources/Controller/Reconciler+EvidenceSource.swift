import Act
import Assess
import Evidence
import KubeModel
import Logging
import Observe

extension Reconciler {
    /// Fail-safe of `restart-on: evidence`: true while no replica's webhook has taken an
    /// authenticated batch for `evidenceMaxSilenceSeconds` (this one's, and what the others wrote
    /// on their pods: the API server's connection may stick to any of them). Said when it
    /// changes: a log line, an Event on this replica's pod; every pass: the metric and the
    /// `/readyz` line (which does not fail readiness).
    func evidenceFallback(now: Timestamp, podsInNamespace: (String) -> [PodRecord]) async -> Bool {
        guard let batchClock else { return false }
        await shareLastBatch()
        var elsewhere: Timestamp?
        if let namespace = configuration.ownPod?.namespace {
            for pod in podsInNamespace(namespace) where !pod.annotations.isEmpty {
                guard let text = pod.annotations[PolicyAnnotation.auditBatchAt], let at = Timestamp(rfc3339: text) else { continue }
                elsewhere = max(elsewhere ?? at, at)
            }
        }
        let silence = batchClock.silenceSeconds(now: now, elsewhere: elsewhere)
        let limit = configuration.evidenceMaxSilenceSeconds
        let live = silence <= limit
        metrics?.setEvidenceSourceUp(live)
        let problem = "no authenticated audit batch for \(DurationText.format(silence)) (--evidence-max-silence \(DurationText.format(limit))); restart-on: evidence falls back to the estimate"
        health?.setEvidenceSource(problem: live ? nil : problem)
        let previous = evidenceSourceLive.withLock { state -> Bool? in
            defer { state = live }
            return state
        }
        if let pod = configuration.ownPod {
            evidenceSourceSaid.withLock { said in
                said.owed = said.live == live ? nil : PassEffects.evidenceSource(live: live, pod: pod, problem: problem)
            }
        }
        guard previous != live, previous != nil || !live else { return !live }
        if live {
            logger.notice("audit batches flow again; restart-on: evidence applies again")
        } else {
            logger.warning("evidence source silent; restart-on: evidence falls back to the estimate", metadata: [
                "silenceSeconds": "\(silence)", "maxSilenceSeconds": "\(limit)",
            ])
        }
        return !live
    }

    /// The Event on this replica's pod for a change of the evidence source its pod has not said
    /// yet. Asked by a leader's pass: a change a follower saw (its writes are refused) is said
    /// once it leads, and one that reverted before then is not said at all.
    func sayEvidenceSource() async {
        guard let event = evidenceSourceSaid.withLock({ $0.owed }) else { return }
        guard await actions.emit(event) != .fenced else {
            fence()
            return
        }
        evidenceSourceSaid.withLock { said in
            guard said.owed == event else { return }
            said = (event.reason == .evidenceSourceBack, nil)
        }
    }

    /// Every 5 minutes: forgets the evidence of pods that are gone (not in the cache, or the name
    /// now another pod's) and entries not seen within the store's retention. Only the evidence's
    /// own pods are looked up; one without a pod name is kept until its retention ends.
    func pruneEvidence(now: Timestamp) {
        guard let evidence else { return }
        let due = evidencePrunedAt.withLock { last -> Bool in
            guard last.map({ now - $0 >= 300 }) ?? true else { return false }
            last = now
            return true
        }
        guard due else { return }
        var live: Set<String> = []
        for entry in evidence.snapshot().values {
            guard let name = entry.podName else {
                live.insert(entry.podUID)
                continue
            }
            if caches.pods.get(namespace: entry.namespace, name: name)?.uid == PodUID(entry.podUID) { live.insert(entry.podUID) }
        }
        let removed = evidence.prune(livePodUIDs: live, now: now)
        if removed > 0 { logger.info("forgot the evidence of pods that are gone or not seen within the retention", metadata: ["pods": "\(removed)"]) }
    }

    /// At most once a minute while batches arrive here: their time onto this replica's pod.
    private func shareLastBatch() async {
        guard let shareBatchTime, let last = batchClock?.lastBatchAt else { return }
        if let shared = sharedBatchTime.withLock({ $0 }), last - shared < 60 { return }
        if await shareBatchTime(last) { sharedBatchTime.withLock { $0 = last } }
    }
}
