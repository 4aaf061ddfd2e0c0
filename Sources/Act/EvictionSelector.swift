import KubeModel

/// Chooses the next pod of an eviction sequence, one at a time. Pure: pods and state in, a choice out.
///
/// A pod is *old* when it started (status.startTime, else creationTimestamp) before the
/// sequence's `restartedAt`. The oldest old pod is evicted only when every other live pod is
/// Running and Ready, no pod of the workload is terminating, the previously evicted pod is gone,
/// and as many new pods are Ready as this sequence has evicted (its replacements exist).
enum EvictionSelector {
    enum Choice: Equatable {
        case evict(Pod)
        case wait(String)
        case done
    }

    static func next(pods: [Pod], restartedAt: Timestamp, lastEvictedUID: String?, evictedCount: Int) -> Choice {
        let present = pods.filter { !isFinished($0) }
        let terminating = present.filter { $0.metadata.deletionTimestamp != nil }
        let live = present.filter { $0.metadata.deletionTimestamp == nil }
        let old = live.filter { isOld($0, restartedAt: restartedAt) }.sorted(by: olderFirst)
        let notReady = live.filter { !isRunningAndReady($0) }

        guard let candidate = old.first else {
            if !terminating.isEmpty { return .wait("\(terminating.count) pod(s) still terminating") }
            if let pod = notReady.first { return .wait("pod \(pod.metadata.name) is not Ready yet") }
            return .done
        }
        if let uid = lastEvictedUID, present.contains(where: { $0.metadata.uid == uid }) {
            return .wait("the last evicted pod is still present")
        }
        if let pod = terminating.first { return .wait("pod \(pod.metadata.name) is terminating") }
        if let pod = notReady.first(where: { $0.metadata.name != candidate.metadata.name }) {
            return .wait("pod \(pod.metadata.name) is not Running and Ready")
        }
        let readyReplacements = live.filter { !isOld($0, restartedAt: restartedAt) && isRunningAndReady($0) }.count
        if readyReplacements < evictedCount {
            return .wait("\(readyReplacements) of \(evictedCount) replacement(s) Ready")
        }
        return .evict(candidate)
    }

    static func startedAt(_ pod: Pod) -> Timestamp? {
        pod.status?.startTime ?? pod.metadata.creationTimestamp
    }

    static func isOld(_ pod: Pod, restartedAt: Timestamp) -> Bool {
        guard let started = startedAt(pod) else { return false }
        return started < restartedAt
    }

    static func isRunningAndReady(_ pod: Pod) -> Bool {
        pod.status?.phase == "Running" && pod.status?.isReady == true
    }

    private static func isFinished(_ pod: Pod) -> Bool {
        pod.status?.phase == "Succeeded" || pod.status?.phase == "Failed"
    }

    private static func olderFirst(_ a: Pod, _ b: Pod) -> Bool {
        let sa = startedAt(a)?.seconds ?? .min, sb = startedAt(b)?.seconds ?? .min
        return (sa, a.metadata.name) < (sb, b.metadata.name)
    }
}
