import Assess
import KubeModel
import Synchronization

/// Window timelines kept from one plan to the next. Passes come minutes apart and forecast the
/// same nights, and working out a window's openings (time-zone arithmetic) is most of what a
/// forecast's windows cost: each plan starts from what the last one worked out and hands back
/// what it added. Only a cache: a timeline answers the same whether it was kept or made afresh.
enum SharedTimelines {
    /// Distinct windows kept; a cluster with more starts over.
    static let capacity = 256
    private static let kept = Mutex<[String: WindowTimeline]>([:])

    /// A timeline of `window` that answers from `now` on.
    static func timeline(_ window: MaintenanceWindow, from now: Timestamp) -> WindowTimeline {
        guard var known = kept.withLock({ $0[window.spec] }), known.window == window, known.start <= now else {
            return WindowTimeline(window, from: now)
        }
        known.forget(before: now)
        return known
    }

    /// Keeps `timeline` for the next plan unless one kept already reaches further.
    static func keep(_ timeline: WindowTimeline) {
        kept.withLock { kept in
            if let known = kept[timeline.window.spec], known.window == timeline.window, known.coveredUntil >= timeline.coveredUntil,
               known.start <= timeline.start {
                return
            }
            if kept.count >= capacity, kept[timeline.window.spec] == nil { kept.removeAll(keepingCapacity: true) }
            kept[timeline.window.spec] = timeline
        }
    }
}
