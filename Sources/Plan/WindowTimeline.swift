import Assess
import KubeModel

/// A maintenance window's openings as disjoint sorted intervals, extended on demand: the forecast
/// asks "open at t?" and "next opening after t?" thousands of times for a handful of windows.
struct WindowTimeline {
    let window: MaintenanceWindow
    private var intervals: [MaintenanceWindow.Opening] = []
    /// Answers hold for instants from this on.
    private(set) var start: Timestamp
    /// Openings are known for every instant before this.
    private(set) var coveredUntil: Timestamp
    /// How far one extension step reaches; `openings(around:)` covers at least seven days ahead.
    private let step: Int64 = 7 * 86_400

    init(_ window: MaintenanceWindow, from start: Timestamp) {
        self.window = window
        self.start = start
        coveredUntil = start
        intervals = merge(window.openings(around: start))
        coveredUntil = start + step
    }

    /// Drops the openings over before `t`, which no question from `t` on needs.
    mutating func forget(before t: Timestamp) {
        guard t > start else { return }
        start = t
        let over = intervals.prefix { $0.end <= t }.count
        if over > 0 { intervals.removeFirst(over) }
    }

    private mutating func extend(to t: Timestamp) {
        while coveredUntil <= t {
            intervals = merge(intervals + window.openings(around: coveredUntil))
            coveredUntil = coveredUntil + step
        }
    }

    /// Where a caller whose questions come in time order stands in the timeline: the index of
    /// the last opening it saw start at or before its time (−1: none yet, found by a search).
    struct Cursor {
        fileprivate var index = -1
    }

    /// Whether the window is open at `t`, for questions in time order: the cursor moves forward
    /// instead of a search at every question.
    mutating func isOpen(at t: Timestamp, cursor: inout Cursor) -> Bool {
        extend(to: t)
        advance(&cursor, to: t)
        return cursor.index >= 0 && t < intervals[cursor.index].end
    }

    /// `t` when open; else the next opening within a year (nil if none). For questions in time order.
    mutating func nextOpen(atOrAfter t: Timestamp, cursor: inout Cursor) -> Timestamp? {
        if isOpen(at: t, cursor: &cursor) { return t }
        var horizon = t
        while horizon < t + 366 * 86_400 {
            extend(to: horizon)
            if cursor.index + 1 < intervals.count { return intervals[cursor.index + 1].start }
            horizon = horizon + step
        }
        return nil
    }

    /// Moves `cursor` to the last opening starting at or before `t`. Extending may merge
    /// openings and move indices; a cursor that ends up past `t`, or none yet, is found by a search.
    private func advance(_ cursor: inout Cursor, to t: Timestamp) {
        if cursor.index < 0 || cursor.index >= intervals.count || intervals[cursor.index].start > t {
            cursor.index = lastStarting(atOrBefore: t) ?? -1
            return
        }
        while cursor.index + 1 < intervals.count, intervals[cursor.index + 1].start <= t { cursor.index += 1 }
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
