import Assess

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
    /// `--token-lifetime auto`: the cluster-wide lifetime used and where it came from (the
    /// controller's Lease, or the 365 d fallback), shown in the summary line and the JSON.
    public var clusterTokenLifetime: ClusterTokenLifetime?

    public init(format: Format = .table, includeOutOfScope: Bool = false, clusterTokenLifetime: ClusterTokenLifetime? = nil) {
        self.format = format
        self.includeOutOfScope = includeOutOfScope
        self.clusterTokenLifetime = clusterTokenLifetime
    }
}
