/// What became of an Event handed to `EventRecorder.emit`.
public enum EventEmission: Sendable, Equatable {
    /// Written, counted as a repeat, queued for a retry, or dropped on an error a retry would not
    /// mend (logged with the server's Status).
    case handled
    /// Not sent: the client's write gate refused it (this replica does not hold the lease with
    /// margin). The caller may hand it in again once it may write.
    case fenced
}
