import Testing

@testable import Controller

@Suite struct HeapTrimScheduleTests {
    @Test func trimsAfterARelistAndOtherwiseOnceAMinute() {
        let start = ContinuousClock.now
        var schedule = HeapTrimSchedule(now: start)
        var due: [Bool] = []
        for (relists, seconds) in [(0, 30), (1, 31), (1, 60), (1, 91), (1, 100), (3, 101), (3, 102)] {
            due.append(schedule.isDue(relists: relists, now: start + .seconds(seconds)))
        }
        // A relist finished at 31 s; the minute counts from the last trim (91 s); two more relists: one trim.
        #expect(due == [false, true, false, true, false, true, false])
    }
}
