/// The `type` of a watch event line.
public enum WatchEventType: String, Sendable, Codable {
    case added = "ADDED"
    case modified = "MODIFIED"
    case deleted = "DELETED"
    case bookmark = "BOOKMARK"
    case error = "ERROR"
}
