/// One step of the reflector's state machine: the state to go on in, how long to wait first,
/// and the watch restart to report, if this step is one.
public struct ReflectorTransition: Sendable {
    public var state: ReflectorState
    public var wait: Duration
    public var restart: WatchRestartReason?

    public init(_ state: ReflectorState, wait: Duration, restart: WatchRestartReason? = nil) {
        self.state = state
        self.wait = wait
        self.restart = restart
    }

    public var phase: ReflectorPhase { state.phase }
}
