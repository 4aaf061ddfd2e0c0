import Synchronization

/// Flow control of one streamed response: libcurl is paused while more than `limit` received
/// bytes wait for the consumer, and resumed once it has taken half of them. A consumer slower
/// than the network (a streaming sync of 150k pods decoded on a busy core) then holds about
/// `limit` bytes instead of whatever the server managed to send; the server's TCP window does
/// the rest.
final class StreamFlow: Sendable {
    private struct State {
        var queued = 0
        var paused = false
    }

    let limit: Int
    private let state = Mutex(State())

    init(limit: Int) { self.limit = max(1, limit) }

    /// Loop thread: whether `count` more bytes may be handed over now. false pauses the transfer;
    /// libcurl keeps those bytes and delivers them again once it is resumed. A chunk is always
    /// admitted when nothing waits, whatever its size.
    func admit(_ count: Int) -> Bool {
        state.withLock { s in
            if s.queued > 0, s.queued + count > limit {
                s.paused = true
                return false
            }
            s.queued += count
            return true
        }
    }

    /// Consumer: `count` bytes were taken; true when the paused transfer must now be resumed.
    func taken(_ count: Int) -> Bool {
        state.withLock { s in
            s.queued -= count
            guard s.paused, s.queued <= limit / 2 else { return false }
            s.paused = false
            return true
        }
    }
}
