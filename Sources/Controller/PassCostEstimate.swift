/// What a reconcile pass costs, split into a fixed part (walking the state, planning, metrics:
/// paid once per pass) and a part per event taken in (re-assessing what changed), from moving
/// averages weighted 1/8 to the newest pass (as TCP smooths round trips) and their least-squares
/// line. Only the fixed part is saved by taking more events into one pass; the part per event
/// is spent whatever the pacing. While the passes' sizes hardly vary the split is unknown, and
/// the whole typical pass counts as fixed. Pure.
public struct PassCostEstimate: Sendable, Equatable {
    /// Weight of the newest pass in the averages.
    static let weight = 0.125
    private var passes = 0
    private var meanSeconds = 0.0
    private var meanEvents = 0.0
    private var meanEventsSquared = 0.0
    private var meanEventsTimesSeconds = 0.0

    public init() {}

    /// Takes in a pass that took `duration` for `events` changes.
    public mutating func observe(_ duration: Duration, events: Int) {
        let seconds = duration / .seconds(1)
        let n = Double(max(0, events))
        let w = passes == 0 ? 1 : Self.weight
        passes += 1
        meanSeconds += w * (seconds - meanSeconds)
        meanEvents += w * (n - meanEvents)
        meanEventsSquared += w * (n * n - meanEventsSquared)
        meanEventsTimesSeconds += w * (n * seconds - meanEventsTimesSeconds)
    }

    /// The typical pass's fixed part (zero before the first pass): its cost less what its events cost.
    public var fixedPart: Duration {
        let variance = meanEventsSquared - meanEvents * meanEvents
        // Below one event squared of spread (a steady batch size) the line is noise.
        guard variance >= 1 else { return .seconds(meanSeconds) }
        let perEvent = max(0, (meanEventsTimesSeconds - meanEvents * meanSeconds) / variance)
        return .seconds(min(meanSeconds, max(0, meanSeconds - perEvent * meanEvents)))
    }
}
