/// Durations as operators write them: Go's `time.ParseDuration` syntax (`720h`, `1h30m`, `1.5h`,
/// `90m`, `45s`) plus days (`30d`, `365d`, `1.5d`). Values are whole seconds (sub-second parts are
/// dropped); the sign, zero and absurd sizes are checked by the caller's `Bounds`.
public enum DurationText {
    /// Longest duration accepted anywhere: 100 years. Larger values are typos, not policy.
    public static let maximumSeconds: Int64 = 36_500 * 86_400

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case empty
        case malformed(String)
        case unknownUnit(String)
        case negative
        case zero
        case tooLarge

        public var description: String {
            switch self {
            case .empty: return "empty duration"
            case .malformed(let why): return "not a duration (\(why)); use e.g. 720h, 1h30m or 30d"
            case .unknownUnit(let unit): return "unknown unit \"\(unit)\"; use s, m, h or d"
            case .negative: return "must not be negative"
            case .zero: return "must be at least 1s"
            case .tooLarge: return "larger than 100 years"
            }
        }
    }

    /// Parses a positive duration (at least one second, at most 100 years) into seconds.
    public static func parsePositive(_ text: String) -> Result<Int64, ParseError> {
        switch parse(text) {
        case .failure(let error): return .failure(error)
        case .success(let seconds):
            if seconds < 0 { return .failure(.negative) }
            if seconds == 0 { return .failure(.zero) }
            return .success(seconds)
        }
    }

    /// Parses a signed duration into whole seconds (truncated toward zero).
    public static func parse(_ text: String) -> Result<Int64, ParseError> {
        let chars = Array(text.trimmingWhitespace().unicodeScalars)
        if chars.isEmpty { return .failure(.empty) }
        var i = 0
        var negative = false
        if chars[i] == "-" || chars[i] == "+" {
            negative = chars[i] == "-"
            i += 1
        }
        if i == chars.count { return .failure(.malformed("sign without value")) }
        // Go accepts a bare "0".
        if i == chars.count - 1, chars[i] == "0" { return .success(0) }
        // Accumulate in nanoseconds so fractions like 1.5h are exact; bounded well below overflow.
        let limitNanos = Double(maximumSeconds) * 1e9
        var totalNanos: Double = 0
        var exactNanos: Int64 = 0  // exact integer nanoseconds while no overflow risk
        while i < chars.count {
            let numberStart = i
            var whole: Int64 = 0
            var wholeDigits = 0
            while i < chars.count, let d = chars[i].digitValue {
                if whole > (Int64.max - 9) / 10 { return .failure(.tooLarge) }
                whole = whole * 10 + Int64(d)
                wholeDigits += 1
                i += 1
            }
            var fraction: Int64 = 0
            var fractionScale: Int64 = 1
            var fractionDigits = 0
            if i < chars.count, chars[i] == "." {
                i += 1
                while i < chars.count, let d = chars[i].digitValue {
                    if fractionScale < 1_000_000_000_000 {  // keep 12 digits: plenty for ns of days
                        fraction = fraction * 10 + Int64(d)
                        fractionScale *= 10
                    }
                    fractionDigits += 1
                    i += 1
                }
            }
            if wholeDigits == 0 && fractionDigits == 0 {
                return .failure(.malformed(numberStart < chars.count ? "expected a number at \"\(String(String.UnicodeScalarView(chars[numberStart...])))\"" : "missing number"))
            }
            let unitStart = i
            while i < chars.count, chars[i].properties.isAlphabetic { i += 1 }
            let unit = String(String.UnicodeScalarView(chars[unitStart..<i]))
            if unit.isEmpty {
                if i < chars.count { return .failure(.malformed("unexpected \"\(chars[i])\"")) }
                return .failure(.malformed("missing unit"))
            }
            guard let unitNanos = unitNanoseconds[unit] else { return .failure(.unknownUnit(unit)) }
            let value = (Double(whole) + Double(fraction) / Double(fractionScale)) * Double(unitNanos)
            totalNanos += value
            if totalNanos > limitNanos { return .failure(.tooLarge) }
            // Exact path: whole*unit + fraction*unit/scale (all fit: total ≤ 100 y ≈ 3.2e18 ns).
            exactNanos += whole * unitNanos + (fraction * (unitNanos / gcd(unitNanos, fractionScale))) / (fractionScale / gcd(unitNanos, fractionScale))
        }
        let seconds = exactNanos / 1_000_000_000
        return .success(negative ? -seconds : seconds)
    }

    /// The shortest exact form: `365d`, `30d`, `1h30m`, `90s`, `0s`.
    public static func format(_ seconds: Int64) -> String {
        if seconds == 0 { return "0s" }
        if seconds < 0 { return "-" + format(-seconds) }
        var rest = seconds
        var out = ""
        let days = rest / 86_400
        rest %= 86_400
        if days > 0 { out += "\(days)d" }
        let hours = rest / 3600
        rest %= 3600
        if hours > 0 { out += "\(hours)h" }
        let minutes = rest / 60
        rest %= 60
        if minutes > 0 { out += "\(minutes)m" }
        if rest > 0 { out += "\(rest)s" }
        return out
    }

    private static let unitNanoseconds: [String: Int64] = [
        "ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000, "s": 1_000_000_000,
        "m": 60_000_000_000, "h": 3_600_000_000_000, "d": 86_400_000_000_000,
    ]

    private static func gcd(_ a: Int64, _ b: Int64) -> Int64 {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}

extension Unicode.Scalar {
    /// 0–9 for ASCII digits only (Go's parser accepts nothing else).
    var digitValue: Int? { value >= 48 && value <= 57 ? Int(value - 48) : nil }
}
