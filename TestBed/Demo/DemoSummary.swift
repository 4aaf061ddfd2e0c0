/// What the demo saw, for the closing lines and for the test that runs the demo.
public struct DemoSummary: Sendable {
    public var seconds: Double
    /// Workloads ("namespace/name") whose restart finished (RestartCompleted).
    public var restarted: Set<String>
    public var podsEvicted: Int
    public var deferred: Set<String>
    public var warnings: [String: Int]
    /// Every workload the scenario expects to be restarted was restarted.
    public var complete: Bool
    /// The highest number of restarts running at once, as the controller's plans showed it.
    public var maximumConcurrentRestarts: Int
}
