/// Where the leader-election Lease lives and how it is timed (client-go's defaults).
public struct LeaderElectionConfig: Sendable {
    public var namespace: String
    /// The Lease's name (`--leader-election-id`).
    public var name: String
    /// This replica's identity (its pod name, plus a random suffix to be safe).
    public var identity: String
    /// How long a lease is valid after its holder last renewed it (from a follower's view).
    public var leaseDuration: Double
    /// The leader steps down if it could not renew for this long. Must be < leaseDuration.
    public var renewDeadline: Double
    /// How often the leader renews and followers look.
    public var retryPeriod: Double
    /// Free the lease on shutdown so a follower takes over at once (client-go `ReleaseOnCancel`).
    public var releaseOnCancel: Bool

    public init(
        namespace: String, name: String = "token-warden", identity: String, leaseDuration: Double = 15,
        renewDeadline: Double = 10, retryPeriod: Double = 2, releaseOnCancel: Bool = true
    ) {
        self.namespace = namespace
        self.name = name
        self.identity = identity
        self.leaseDuration = leaseDuration
        self.renewDeadline = renewDeadline
        self.retryPeriod = retryPeriod
        self.releaseOnCancel = releaseOnCancel
    }

    /// What client-go's `NewLeaderElector` refuses.
    public func validate() throws(LeaderElectionConfigError) {
        guard !identity.isEmpty else { throw LeaderElectionConfigError("leader election identity must not be empty") }
        guard leaseDuration > renewDeadline else { throw LeaderElectionConfigError("leaseDuration must be greater than renewDeadline") }
        guard renewDeadline > 1.2 * retryPeriod else { throw LeaderElectionConfigError("renewDeadline must be greater than retryPeriod*1.2") }
        guard leaseDuration >= 1, retryPeriod > 0 else { throw LeaderElectionConfigError("leaseDuration must be at least 1 s and retryPeriod positive") }
    }

    /// `spec.leaseDurationSeconds` (whole seconds, at least 1).
    public var leaseDurationSeconds: Int { max(1, Int(leaseDuration.rounded(.up))) }
}

public struct LeaderElectionConfigError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
