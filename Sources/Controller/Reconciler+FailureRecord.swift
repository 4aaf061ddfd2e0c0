import Assess
import KubeModel
import Plan

/// The failure memory on the leader's Lease: published for `report` and `explain`, and taken
/// over by a new leader so that a change of leader does not retry every refused write at once.
extension Reconciler {
    /// The annotation to write on the Lease now (an empty value removes it: nothing backs off).
    /// `acquiring`: this write takes the lease over; what the previous leader published on it
    /// (`onLease`) is merged into this memory first.
    public func failureRecordAnnotations(onLease: [String: String], acquiring: Bool) -> [String: String] {
        let now = clock()
        if acquiring, let text = onLease[FailureRecord.leaseAnnotation] {
            do {
                let remembered = try FailureRecord.decode(text)
                failures.withLock { $0.seed(remembered) }
                if !remembered.isEmpty {
                    logger.notice("backoff taken over from the Lease", metadata: ["workloads": "\(remembered.count)"])
                }
            } catch {
                logger.warning("the Lease's backoff record cannot be read; starting without it", metadata: ["error": "\(error)"])
            }
        }
        let text = failures.withLock { FailureRecord.encode($0, now: now) }
        return [FailureRecord.leaseAnnotation: text ?? ""]
    }
}
