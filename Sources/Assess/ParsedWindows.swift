import Synchronization

/// Parsed maintenance windows by their annotation text. Every workload's policy is resolved on
/// every assessment and a cluster holds a handful of distinct window texts, but parsing one
/// (its time zones above all) costs more than the rest of the resolution: each text is parsed
/// once. Bounded: a cluster with more distinct texts than `capacity` starts over.
enum ParsedWindows {
    static let capacity = 512
    private static let parsed = Mutex<[String: Result<MaintenanceWindow, MaintenanceWindow.WindowParseError>]>([:])

    static func parse(_ text: String) -> Result<MaintenanceWindow, MaintenanceWindow.WindowParseError> {
        if let known = parsed.withLock({ $0[text] }) { return known }
        let result = MaintenanceWindow.parse(text)
        parsed.withLock { cache in
            if cache.count >= capacity { cache.removeAll(keepingCapacity: true) }
            cache[text] = result
        }
        return result
    }
}
