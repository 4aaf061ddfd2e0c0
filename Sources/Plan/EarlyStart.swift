/// Why a restart starts before it is due: a herd of deadlines that the windows and limits
/// could not restart in time otherwise (see `HerdSpreader`).
public struct EarlyStart: Hashable, Sendable {
    /// How long before its restart falls due (deadline − restart-before) it starts, in seconds.
    public var by: Int64
    /// Workloads the forecast saw finishing too late without early starts.
    public var lateWithout: Int

    public init(by: Int64, lateWithout: Int) {
        self.by = by
        self.lateWithout = lateWithout
    }

    /// "41 d early" (hours below a day).
    public var leadText: String {
        by >= 86_400 ? "\((by + 43_200) / 86_400) d early" : "\(max(1, (by + 1_800) / 3_600)) h early"
    }

    /// 2300 → "2,300".
    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}
