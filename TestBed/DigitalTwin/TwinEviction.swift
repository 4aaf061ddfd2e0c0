import Plan

/// An eviction sequence the twin's executor drives, as the controller's executor keeps one
/// (`EvictionSequence`): stepped on every pass until it is done or gives up, whatever the plan says.
struct TwinEviction {
    var decision: Decision
    /// The sequence's start: pods started before it are the old ones it replaces.
    var restartedAt: Int64
    /// The last eviction (or the start): it gives up when nothing moves for the evict timeout.
    var lastProgress: Int64
    var evicted = 0
}
