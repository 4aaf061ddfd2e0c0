/// `metav1.MicroTime`: an instant with microsecond resolution, as Leases (`acquireTime`,
/// `renewTime`) and events.k8s.io `eventTime` carry it.
///
/// The API server parses it with Go's layout `2006-01-02T15:04:05.000000Z07:00`, which requires
/// exactly six fractional digits, so it is always written that way.
public struct MicroTime: Hashable, Comparable, Sendable, RFC3339Coded {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var microseconds: Int64

    public init(microseconds: Int64) { self.microseconds = microseconds }

    public init(seconds: Double) { self.microseconds = Int64((seconds * 1_000_000).rounded()) }

    public init(_ timestamp: Timestamp) { self.microseconds = timestamp.seconds &* 1_000_000 }

    /// Seconds since the epoch, with the fraction.
    public var secondsSinceEpoch: Double { Double(microseconds) / 1_000_000 }

    /// Whole seconds (floor), for comparison with one-second `Timestamp`s.
    public var timestamp: Timestamp {
        Timestamp(seconds: microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000)
    }

    public static func < (lhs: MicroTime, rhs: MicroTime) -> Bool { lhs.microseconds < rhs.microseconds }

    /// Parses RFC 3339 with any number of fractional digits (extra precision is truncated).
    public init?(rfc3339 text: String) {
        // Split off the fraction; `Timestamp` parses the rest (it ignores fractions itself).
        guard let whole = Timestamp(rfc3339: text) else { return nil }
        var micros: Int64 = 0
        let scalars = Array(text.utf8)
        if scalars.count > 20, scalars[19] == UInt8(ascii: ".") {
            var i = 20
            var digits = 0
            while i < scalars.count, scalars[i] >= 48, scalars[i] <= 57 {
                if digits < 6 { micros = micros * 10 + Int64(scalars[i] - 48) }
                digits += 1
                i += 1
            }
            while digits < 6 {
                micros *= 10
                digits += 1
            }
        }
        self.microseconds = whole.seconds &* 1_000_000 &+ micros
    }

    /// `2026-11-23T10:00:00.000000Z`.
    public var rfc3339: String {
        let seconds = timestamp
        let fraction = microseconds - seconds.seconds * 1_000_000
        let digits = String(fraction)
        let padded = String(repeating: "0", count: max(0, 6 - digits.count)) + digits
        var text = seconds.rfc3339
        text.removeLast()  // "Z"
        return text + "." + padded + "Z"
    }
}
