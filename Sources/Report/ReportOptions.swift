/// What `token-warden report` shows.
public struct ReportOptions: Hashable, Sendable {
    public enum Format: String, Hashable, Sendable, CaseIterable {
        case table
        case wide
        case json
    }

    public var format: Format
    /// Also list workloads whose pods hold no API token, are not Running, or are ignored.
    public var includeOutOfScope: Bool

    public init(format: Format = .table, includeOutOfScope: Bool = false) {
        self.format = format
        self.includeOutOfScope = includeOutOfScope
    }
}
