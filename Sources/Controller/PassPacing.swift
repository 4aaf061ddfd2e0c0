/// When the reconcile loop runs its next pass after a change. A change that comes after a quiet
/// period is taken in after a short debounce (a rollout's first events arrive within milliseconds
/// of each other), so a lone event is decided within milliseconds. A change that comes while the
/// loop is still resting from its last pass waits until the rest is over: under a burst the
/// passes are spaced by a rest proportional to what a pass costs (`restPerPassSecond` seconds of
/// rest per second of pass), at least `minimumRest` and at most `maximumRest`, so expensive
/// passes cannot take more than a bounded share of a core, and cheap ones (a millisecond or
/// less: an incremental pass) do not run a hundred times a second to follow every event of a
/// steady stream one by one: 20 ms keeps an event's wait well under the 50 ms goal.
/// What a pass costs is its typical fixed cost (`PassCostEstimate`), not the last pass alone:
/// one slow pass among cheap ones (a pause of the machine, a larger workload) then lengthens the
/// next rests a little instead of making the events behind it wait the longest rest, while
/// passes that stay expensive get their proportional rest within a few passes. And the part of
/// a pass that grows with the events it takes in earns no rest: waiting longer would only put
/// more events into the next pass at the same cost each, and a pass stretched by a busy machine
/// would make the rest, the next batch and the next pass longer in turn until the loop settled
/// at its longest rest.
/// Pure: the loop passes in the pass's duration and where it is in time.
public struct PassPacing: Sendable, Equatable {
    /// The wait after a quiet period, to take a burst's first events in one pass.
    public var debounce: Duration
    /// The shortest rest between two passes under a burst.
    public var minimumRest: Duration
    /// The longest rest between two passes under a burst (the loop's `minimumInterval`).
    public var maximumRest: Duration
    /// Seconds of rest per second of pass: 19 keeps passes under continuous change to at most a
    /// twentieth of the wall time (5 % of a core, the steady-state budget).
    public var restPerPassSecond: Double
    /// What the passes so far cost.
    public private(set) var cost = PassCostEstimate()

    public init(
        debounce: Duration = .milliseconds(5), minimumRest: Duration = .milliseconds(20), maximumRest: Duration = .milliseconds(200),
        restPerPassSecond: Double = 19
    ) {
        self.debounce = min(debounce, maximumRest)
        self.minimumRest = min(max(minimumRest, self.debounce), maximumRest)
        self.maximumRest = maximumRest
        self.restPerPassSecond = max(0, restPerPassSecond)
    }

    /// How long the loop rests after a pass that took `passDuration` for `eventsTakenIn` changes
    /// (taken into `cost`). A pass that asks to run again at once (its requeue is already due:
    /// the clock's resolution is a second) rests the longest, so the loop never spins on its own requeue.
    public mutating func rest(afterPassOf passDuration: Duration, eventsTakenIn: Int = 0, requeueDue: Bool = false) -> Duration {
        cost.observe(passDuration, events: eventsTakenIn)
        if requeueDue { return maximumRest }
        let proportional = cost.fixedPart * restPerPassSecond
        return max(minimumRest, min(maximumRest, proportional))
    }

    /// How long to wait before the pass once woken at `now`: until the rest after the last pass
    /// is over (`restingUntil`), or the debounce when the loop was already quiet.
    public func delay(wokenAt now: ContinuousClock.Instant, restingUntil: ContinuousClock.Instant?) -> Duration {
        guard let restingUntil, now < restingUntil else { return debounce }
        return max(debounce, restingUntil - now)
    }
}
