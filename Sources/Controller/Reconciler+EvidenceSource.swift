import Act
import Assess
import Evidence
import KubeModel
import Logging
import Observe

extension Reconciler {
    /// Fail-safe of `restart-on: evidence`: true while the webhook has taken no authenticated
    /// batch for `evidenceMaxSilenceSeconds`. Said when it changes: a log line, an Event on this
    /// replica's pod; every pass: the metric and the `/readyz` line (which does not fail readiness).
    func evidenceFallback(now: Timestamp) async -> Bool {
        guard let batchClock else { return false }
        let silence = batchClock.silenceSeconds(now: now)
        let limit = configuration.evidenceMaxSilenceSeconds
        let live = silence <= limit
        metrics?.setEvidenceSourceUp(live)
        let problem = "no authenticated audit batch for \(DurationText.format(silence)) (--evidence-max-silence \(DurationText.format(limit))); restart-on: evidence falls back to the estimate"
        health?.setEvidenceSource(problem: live ? nil : problem)
        let previous = evidenceSourceLive.withLock { state -> Bool? in
            defer { state = live }
            return state
        }
        guard previous != live, previous != nil || !live else { return !live }
        if live {
            logger.notice("audit batches flow again; restart-on: evidence applies again")
        } else {
            logger.warning("evidence source silent; restart-on: evidence falls back to the estimate", metadata: [
                "silenceSeconds": "\(silence)", "maxSilenceSeconds": "\(limit)",
            ])
        }
        if let pod = configuration.ownPod {
            await actions.emit(live
                ? WardenEvent(regarding: pod, type: .normal, reason: .evidenceSourceBack,
                              message: "Authenticated audit batches arrive again; restart-on: evidence applies again")
                : WardenEvent(regarding: pod, type: .warning, reason: .evidenceSourceSilent, message: "Evidence source silent: \(problem)"))
        }
        return !live
    }
}
