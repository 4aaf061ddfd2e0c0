import KubeModel
import Synchronization
import WatchCache

/// A pod store's changes in order, as "+name" (upserted) and "-name" (deleted): pass `record` as
/// the store's `onChange`.
final class PodChangeLog: Sendable {
    private let lines = Mutex<[String]>([])

    var entries: [String] { lines.withLock { $0 } }

    func record(_ change: StoreChange<Pod>) {
        lines.withLock {
            switch change {
            case .upserted(let p, _): $0.append("+\(p.metadata.name)")
            case .deleted(let p): $0.append("-\(p.metadata.name)")
            }
        }
    }
}
