import KubeModel

/// Durations the way kubectl prints ages (`k8s.io/apimachinery/pkg/util/duration.HumanDuration`):
/// `45s`, `5m30s`, `95m`, `3h12m`, `30h`, `6d5h`, `45d`, `2y30d`, `9y`.
public enum HumanDuration {
    public static func format(_ seconds: Int64) -> String {
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 60 * 2 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 {
            let s = seconds % 60
            return s == 0 ? "\(minutes)m" : "\(minutes)m\(s)s"
        }
        if minutes < 60 * 3 { return "\(minutes)m" }
        let hours = seconds / 3600
        if hours < 8 {
            let m = minutes % 60
            return m == 0 ? "\(hours)h" : "\(hours)h\(m)m"
        }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 {
            let h = hours % 24
            return h == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(h)h"
        }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let d = (hours / 24) % 365
            return d == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(d)d"
        }
        return "\(hours / 24 / 365)y"
    }

    /// `45d`, or `expired 2d ago` once `deadline` has passed.
    public static func until(_ deadline: Timestamp, from now: Timestamp, pastPrefix: String = "expired") -> String {
        deadline > now ? format(deadline - now) : "\(pastPrefix) \(format(now - deadline)) ago"
    }
}
