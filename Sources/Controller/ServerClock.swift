import Foundation
import KubeModel
import Synchronization

/// The clock deadlines are judged on: the API server's (this node's clock plus the offset its
/// `Date` headers show), which does not step back by a few seconds. A new offset estimate can
/// move it back a little; a pass whose clock went back assesses every workload again (48k at 150k
/// pods, seconds of CPU), so such a step holds the clock where it was until time catches up. A
/// larger step back is a real correction of a clock and is taken.
final class ServerClock: Sendable {
    /// Steps back up to this long are held.
    static let heldStep: Int64 = 5
    private let localSeconds: @Sendable () -> Int64
    private let offset: @Sendable () -> Int64
    private let last = Mutex<Int64?>(nil)

    init(localSeconds: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) },
         offset: @escaping @Sendable () -> Int64) {
        self.localSeconds = localSeconds
        self.offset = offset
    }

    func now() -> Timestamp {
        let reading = localSeconds() + offset()
        return Timestamp(seconds: last.withLock { last in
            if let previous = last, reading < previous, previous - reading <= Self.heldStep { return previous }
            last = reading
            return reading
        })
    }
}
