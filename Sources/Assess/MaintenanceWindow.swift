import Foundation
import KubeModel

/// When restarts may start: `Mon-Fri 02:00-05:00 Europe/Berlin`, several rules joined by `;`.
///
/// A rule is `[DAYS] HH:MM-HH:MM [ZONE]`. DAYS is a comma list of days or day ranges (`Mon-Fri`,
/// `Sat,Sun`, `Fri-Mon` wraps); omitted means every day. An end before the start crosses midnight
/// (`Fri 22:00-02:00` runs into Saturday; the day names the start). `24:00` may end a window.
/// ZONE is an IANA time zone (default UTC). Local times are resolved with the zone's DST rules.
public struct MaintenanceWindow: Hashable, Sendable, CustomStringConvertible {
    public struct Rule: Hashable, Sendable {
        /// Indexed by Foundation weekday − 1 (0 = Sunday … 6 = Saturday).
        public var days: [Bool]
        public var startMinute: Int
        public var endMinute: Int
        public var timeZone: TimeZone

        var crossesMidnight: Bool { endMinute <= startMinute }
    }

    /// The text it was parsed from (normalised whitespace), shown in reports.
    public var spec: String
    public var rules: [Rule]

    public var description: String { spec }

    public static func parse(_ text: String) -> Result<MaintenanceWindow, WindowParseError> {
        let parts = text.split(separator: ";").map { String($0).trimmingWhitespace() }
        var rules: [Rule] = []
        for part in parts {
            if part.isEmpty { continue }
            switch parseRule(part) {
            case .success(let rule): rules.append(rule)
            case .failure(let error): return .failure(error)
            }
        }
        if rules.isEmpty { return .failure(WindowParseError(message: "empty maintenance window")) }
        let spec = parts.filter { !$0.isEmpty }.map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
            .joined(separator: "; ")
        return .success(MaintenanceWindow(spec: spec, rules: rules))
    }

    public struct WindowParseError: Error, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    // MARK: - Evaluation

    /// An open interval of one rule: [start, end).
    public struct Opening: Hashable, Sendable {
        public var start: Timestamp
        public var end: Timestamp
    }

    /// Whether restarts may start at `instant`.
    public func isOpen(at instant: Timestamp) -> Bool { openingContaining(instant) != nil }

    /// The opening that contains `instant` (the one ending last, if several overlap).
    public func openingContaining(_ instant: Timestamp) -> Opening? {
        openings(around: instant).filter { $0.start <= instant && instant < $0.end }.max { $0.end < $1.end }
    }

    /// `instant` itself when open, else the start of the next opening (within the next 8 days).
    public func nextOpen(atOrAfter instant: Timestamp) -> Timestamp? {
        if isOpen(at: instant) { return instant }
        return openings(around: instant).filter { $0.start > instant }.map(\.start).min()
    }

    /// Openings of every rule whose local start day lies between one day before and eight days
    /// after the local day of `instant` (enough to find the next one of a weekly schedule).
    /// Plain arithmetic on local days plus the zone's UTC offsets: Calendar is far too slow for
    /// the forecast, which asks this thousands of times.
    public func openings(around instant: Timestamp) -> [Opening] {
        var result: [Opening] = []
        for rule in rules {
            let localNow = instant.seconds + Int64(rule.timeZone.secondsFromGMT(for: date(instant.seconds)))
            let today = localNow >= 0 ? localNow / 86_400 : (localNow - 86_399) / 86_400
            for offset in Int64(-1)...8 {
                let day = today + offset
                let weekday = Int(((day + 4) % 7 + 7) % 7)  // 1970-01-01 was a Thursday; 0 = Sunday
                guard rule.days[weekday] else { continue }
                let endDay = rule.crossesMidnight ? day + 1 : day
                let start = utc(localSeconds: day * 86_400 + Int64(rule.startMinute) * 60, rule.timeZone)
                let end = utc(localSeconds: endDay * 86_400 + Int64(rule.endMinute) * 60, rule.timeZone)
                if end > start { result.append(Opening(start: start, end: end)) }
            }
        }
        return result
    }

    private func date(_ seconds: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }

    /// The instant a local wall-clock time names. A time skipped by a DST jump lands after the
    /// jump (02:30 on a spring-forward night → 03:30); a repeated time takes its first occurrence.
    private func utc(localSeconds: Int64, _ zone: TimeZone) -> Timestamp {
        // Offsets a day either side: a zone changes its offset at most once in between.
        let before = Int64(zone.secondsFromGMT(for: date(localSeconds - 86_400)))
        let after = Int64(zone.secondsFromGMT(for: date(localSeconds + 86_400)))
        let valid = [localSeconds - before, localSeconds - after].filter {
            $0 + Int64(zone.secondsFromGMT(for: date($0))) == localSeconds
        }
        return Timestamp(seconds: valid.min() ?? localSeconds - before)
    }

    // MARK: - Parsing

    private static let dayNames: [String: Int] = [
        "sun": 0, "sunday": 0, "mon": 1, "monday": 1, "tue": 2, "tues": 2, "tuesday": 2, "wed": 3, "wednesday": 3,
        "thu": 4, "thur": 4, "thurs": 4, "thursday": 4, "fri": 5, "friday": 5, "sat": 6, "saturday": 6,
    ]

    private static func parseRule(_ text: String) -> Result<Rule, WindowParseError> {
        let fields = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let timeIndex = fields.firstIndex(where: { $0.contains(":") }) else {
            return .failure(WindowParseError(message: "\"\(text)\": missing the time range HH:MM-HH:MM"))
        }
        if timeIndex > 1 { return .failure(WindowParseError(message: "\"\(text)\": write the days as one field, e.g. Mon-Fri or Sat,Sun")) }
        if fields.count > timeIndex + 2 { return .failure(WindowParseError(message: "\"\(text)\": unexpected \"\(fields[timeIndex + 2])\"")) }
        var days = Array(repeating: true, count: 7)
        if timeIndex == 1 {
            switch parseDays(fields[0]) {
            case .success(let parsed): days = parsed
            case .failure(let error): return .failure(error)
            }
        }
        let range = fields[timeIndex].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard range.count == 2, let start = parseClock(range[0], allow24: false), let end = parseClock(range[1], allow24: true) else {
            return .failure(WindowParseError(message: "\"\(fields[timeIndex])\": not a time range HH:MM-HH:MM"))
        }
        if start == end {
            return .failure(WindowParseError(message: "\"\(fields[timeIndex])\": the window is empty (start equals end)"))
        }
        var zone = TimeZone(identifier: "UTC")!
        if fields.count == timeIndex + 2 {
            guard let parsed = TimeZone(identifier: fields[timeIndex + 1]) else {
                return .failure(WindowParseError(message: "unknown time zone \"\(fields[timeIndex + 1])\" (use an IANA name like Europe/Berlin)"))
            }
            zone = parsed
        }
        return .success(Rule(days: days, startMinute: start, endMinute: end, timeZone: zone))
    }

    private static func parseDays(_ text: String) -> Result<[Bool], WindowParseError> {
        var days = Array(repeating: false, count: 7)
        for item in text.lowercased().split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            guard (1...2).contains(bounds.count), let first = dayNames[bounds[0]], let last = dayNames[bounds[bounds.count - 1]] else {
                return .failure(WindowParseError(message: "\"\(item)\": not a day or day range (Mon, Mon-Fri, Sat,Sun)"))
            }
            var day = first
            while true {
                days[day] = true
                if day == last { break }
                day = (day + 1) % 7
            }
        }
        return .success(days)
    }

    /// `HH:MM` → minutes after midnight; `24:00` only as an end.
    private static func parseClock(_ text: String, allow24: Bool) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
              let hour = Int(parts[0]), let minute = Int(parts[1]), (0...59).contains(minute)
        else { return nil }
        if hour == 24 && minute == 0 && allow24 { return 1440 }
        guard (0...23).contains(hour) else { return nil }
        return hour * 60 + minute
    }
}
