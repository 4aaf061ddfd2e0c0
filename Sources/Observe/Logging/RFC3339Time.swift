#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KubeModel

/// RFC 3339 UTC timestamps with millisecond resolution for log lines (`2026-11-23T18:55:41.123Z`).
///
/// Formatted by hand from `clock_gettime`: `DateFormatter` is slow and not meant to be shared
/// across threads, and log handlers run on every thread.
public enum RFC3339Time {
    /// Milliseconds since the Unix epoch, from the real-time clock.
    public static func nowMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` for milliseconds since the epoch.
    public static func format(milliseconds: Int64) -> String {
        let millis = Int(((milliseconds % 1000) + 1000) % 1000)
        let seconds = (milliseconds - Int64(millis)) / 1000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rem = Int(seconds - days * 86_400)
        let (year, month, day) = Timestamp.civil(fromDays: days)

        var bytes = [UInt8](repeating: 0, count: 24)
        func put(_ value: Int, at index: Int, width: Int) {
            var v = value
            for offset in stride(from: width - 1, through: 0, by: -1) {
                bytes[index + offset] = UInt8(48 + v % 10)
                v /= 10
            }
        }
        put(year, at: 0, width: 4); bytes[4] = 45
        put(month, at: 5, width: 2); bytes[7] = 45
        put(day, at: 8, width: 2); bytes[10] = 84
        put(rem / 3600, at: 11, width: 2); bytes[13] = 58
        put(rem / 60 % 60, at: 14, width: 2); bytes[16] = 58
        put(rem % 60, at: 17, width: 2); bytes[19] = 46
        put(millis, at: 20, width: 3); bytes[23] = 90
        return String(decoding: bytes, as: UTF8.self)
    }
}
