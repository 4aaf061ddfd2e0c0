/// Why a reflector re-established its watch, as `ReflectorObserver.watchRestarted` reports it.
public enum WatchRestartReason: String, Sendable {
    /// The watch closed at once without an event (the short-watch guard backs off).
    case short
    /// 410 Gone: the resourceVersion is too old; the store is synced again.
    case expired
    /// The watch failed (transport, Status, decoding); it is re-opened after the backoff.
    case error
}
