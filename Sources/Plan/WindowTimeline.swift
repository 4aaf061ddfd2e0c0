import Assess
import KubeModel

/// A maintenance window's openings as disjoint sorted intervals, extended on demand: the forecast
/// asks "open at t?" and "next opening after t?" thousands of times for a handful of windows.
struct WindowTimeline {
    let window: MaintenanceWindow
    private var intervals: [MaintenanceWindow.Opening] = []
    /// Openings are known for every instant before this.
    private var coveredUntil: Timestamp
    /// How far one extension step reaches; `openings(around:)` covers at least seven days ahead.
    private let step: Int64 = 7 * 86_400

    init(_ window: MaintenanceWindow, from start: Timestamp) {
        self.window = window
        coveredUntil = start
        intervals = merge(window.openings(around: start))
        coveredUntil = start + step
    }

    mutating func isOpen(at t: Timestamp) -> Bool {
        extend(to: t)
        guard let i = lastStarting(atOrBefore: t) else { return false }
        return t < intervals[i].end
    }

    /// `t` when open; else the next opening within a year (nil if none).
    mutating func nextOpen(atOrAfter t: Timestamp) -> Timestamp? {
        if isOpen(at: t) { return t }
        var horizon = t
        while horizon < t + 366 * 86_400 {
            extend(to: horizon)
            // The first opening after t (a binary search: a forecast asks this at every step).
            let next = lastStarting(atOrBefore: t).map { $0 + 1 } ?? 0
            if next < intervals.count { return intervals[next].start }
            horizon = horizon + step
        }
        return nil
    }

    private mutating func extend(to t: Timestamp) {
        while coveredUntil <= t {
            intervals = merge(intervals + window.openings(around: coveredUntil))
            coveredUntil = coveredUntil + step
        }
    }

    private func lastStarting(atOrBefore t: Timestamp) -> Int? {
        var low = 0
        var high = intervals.count
        while low < high {
            let mid = (low + high) / 2
            if intervals[mid].start <= t { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : low - 1
    }

    private func merge(_ openings: [MaintenanceWindow.Opening]) -> [MaintenanceWindow.Opening] {
        var result: [MaintenanceWindow.Opening] = []
        for opening in openings.sorted(by: { $0.start < $1.start }) {
            if let last = result.last, opening.start <= last.end {
                result[result.count - 1].end = max(last.end, opening.end)
            } else {
                result.append(opening)
            }
        }
        return result
    }
}
