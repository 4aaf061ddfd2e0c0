import Foundation

/// When a watch that allows bookmarks gets its next one, as kube-apiserver's watch cache decides
/// (`cacheWatcher.nextBookmarkTime`): one bookmark period after the last, or 2 s before the
/// watch's timeout if that comes first.
public enum WatchBookmarkSchedule {
    public static func next(after last: Date, deadline: Date, interval: TimeInterval) -> Date {
        let heartbeat = last.addingTimeInterval(interval)
        let preTimeout = deadline.addingTimeInterval(-2)
        if preTimeout < heartbeat && preTimeout > last { return preTimeout }
        return heartbeat
    }
}
