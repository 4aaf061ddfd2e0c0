import Synchronization

/// Turns decoded pods into cache records, sharing one `PodOwner` among the pods of each owner.
/// The table of owners is bounded: when it fills (owners come and go over months) it starts
/// afresh; records keep the owners they hold, only the sharing of new records restarts.
public final class PodRecordBuilder: Sendable {
    private let owners = Mutex<[PodUID: PodOwner]>([:])
    private let capacity: Int

    public init(capacity: Int = 1 << 17) { self.capacity = capacity }

    public func record(_ pod: Pod) -> PodRecord {
        PodRecord(pod, owner: pod.metadata.controllerOwner.map(shared))
    }

    public func records(_ pods: [Pod]) -> [PodRecord] { pods.map(record) }

    private func shared(_ reference: OwnerReference) -> PodOwner {
        owners.withLock { owners in
            let uid = PodUID(reference.uid)
            if let known = owners[uid], known.matches(reference, uid: uid) { return known }
            if owners.count >= capacity { owners.removeAll(keepingCapacity: true) }
            let owner = PodOwner(reference)
            owners[uid] = owner
            return owner
        }
    }
}
