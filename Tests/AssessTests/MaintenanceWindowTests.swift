@testable import Assess
import KubeModel
import Testing

@Suite struct MaintenanceWindowTests {
    func window(_ text: String) -> MaintenanceWindow {
        guard case .success(let w) = MaintenanceWindow.parse(text) else { fatalError("does not parse: \(text)") }
        return w
    }

    // 2026-11-23 is a Monday; Berlin is UTC+1 in November and UTC+2 in July.
    @Test(arguments: [
        ("Mon-Fri 02:00-05:00 Europe/Berlin", "2026-11-23T19:00:00Z", false, "2026-11-24T01:00:00Z"),
        ("Mon-Fri 02:00-05:00 Europe/Berlin", "2026-11-24T01:00:00Z", true, "2026-11-24T01:00:00Z"),
        ("Mon-Fri 02:00-05:00 Europe/Berlin", "2026-11-24T03:59:59Z", true, "2026-11-24T03:59:59Z"),
        ("Mon-Fri 02:00-05:00 Europe/Berlin", "2026-11-24T04:00:00Z", false, "2026-11-25T01:00:00Z"),
        ("Mon-Fri 02:00-05:00 Europe/Berlin", "2026-11-27T19:00:00Z", false, "2026-11-30T01:00:00Z"),  // Friday evening → Monday
        ("Mon-Fri 02:00-05:00 Europe/Berlin", "2026-07-06T00:30:00Z", true, "2026-07-06T00:30:00Z"),   // summer time
        ("Mon-Fri 02:00-05:00 Europe/Berlin", "2026-07-05T12:00:00Z", false, "2026-07-06T00:00:00Z"),
        ("Fri 22:00-02:00", "2026-11-28T01:00:00Z", true, "2026-11-28T01:00:00Z"),                    // crosses midnight into Saturday
        ("Fri 22:00-02:00", "2026-11-28T02:00:00Z", false, "2026-12-04T22:00:00Z"),
        ("Fri-Mon 10:00-11:00 UTC", "2026-11-24T12:00:00Z", false, "2026-11-27T10:00:00Z"),          // wrapping day range
        ("Sat,Sun 00:00-24:00", "2026-11-25T12:00:00Z", false, "2026-11-28T00:00:00Z"),
        ("Sat,Sun 00:00-24:00", "2026-11-29T23:59:59Z", true, "2026-11-29T23:59:59Z"),
        ("01:00-02:00 America/New_York", "2026-11-23T05:30:00Z", false, "2026-11-23T06:00:00Z"),      // every day, UTC−5
        ("Tue 03:00-04:00 UTC; Thu 03:00-04:00 UTC", "2026-11-24T05:00:00Z", false, "2026-11-26T03:00:00Z"),
        // DST: Berlin springs forward 2026-03-29 02:00 → 03:00 (CET → CEST) and falls back 2026-10-25 03:00 → 02:00.
        ("Sun 02:30-04:00 Europe/Berlin", "2026-03-28T12:00:00Z", false, "2026-03-29T01:30:00Z"),  // 02:30 does not exist: 03:30 CEST
        ("Sun 01:00-02:00 Europe/Berlin", "2026-03-29T00:30:00Z", true, "2026-03-29T00:30:00Z"),
        ("Sun 02:30-04:00 Europe/Berlin", "2026-10-24T12:00:00Z", false, "2026-10-25T00:30:00Z"),  // first 02:30 (CEST)
        ("Mon 00:00-01:00 Pacific/Kiritimati", "2026-11-22T09:59:59Z", false, "2026-11-22T10:00:00Z"),  // UTC+14: Monday starts Sunday 10:00Z
    ])
    func openAndNext(_ spec: String, _ at: String, _ open: Bool, _ next: String) {
        let w = window(spec)
        #expect(w.isOpen(at: t(at)) == open)
        #expect(w.nextOpen(atOrAfter: t(at))?.rfc3339 == next)
    }

    @Test(arguments: [
        "", "Mon-Fri", "Mon-Fri 02:00", "Mon-Fri 02:00-05:00 Mars/Olympus", "Mon-Fry 02:00-05:00",
        "Mon-Fri 25:00-05:00", "Mon-Fri 02:00-02:00", "Mon-Fri 2:00-05:60", "Mon Fri 02:00-05:00", "24:00-02:00",
        "Mon-Fri 02:00-05:00 UTC extra",
    ])
    func rejects(_ spec: String) {
        guard case .failure = MaintenanceWindow.parse(spec) else {
            Issue.record("accepted \(spec)")
            return
        }
    }

    @Test func normalisesSpec() {
        #expect(window("  Mon-Fri   02:00-05:00 Europe/Berlin ;Sat 01:00-02:00 ").spec == "Mon-Fri 02:00-05:00 Europe/Berlin; Sat 01:00-02:00")
    }

    @Test func aParsedWindowIsKeptAndAnswersAsParsingDoes() {
        for text in ["Mon-Fri 02:00-05:00 Europe/Berlin", "Sat 25:00-26:00", "02:00-03:00 Mars/Olympus", ""] {
            #expect(ParsedWindows.parse(text) == MaintenanceWindow.parse(text))
            #expect(ParsedWindows.parse(text) == MaintenanceWindow.parse(text))  // the kept answer
        }
        // More distinct texts than it keeps: it starts over, and every answer is still right.
        for minute in 0..<(ParsedWindows.capacity + 10) {
            let text = String(format: "%02d:%02d-23:59", minute / 60 % 23, minute % 60)
            #expect(ParsedWindows.parse(text) == MaintenanceWindow.parse(text))
        }
    }
}
