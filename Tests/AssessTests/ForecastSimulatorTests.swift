import Assess
import KubeModel
@testable import Plan
import Testing

/// The forecast's shortcuts answer as the plain forecast does: counting late restarts without
/// building entries (and stopping at the limit), a window's timeline walked by cursor as the
/// window itself answers, timelines kept from one plan to the next. Random herds over windows in
/// several zones, with DST changes in range.
@Suite struct ForecastSimulatorTests {
    let windows = ["02:00-03:00", "Mon-Fri 01:30-02:15 Europe/Berlin", "Sat,Sun 22:00-04:00 America/New_York",
                   "Tue 03:00-03:20 Australia/Sydney; Thu 23:30-00:10 Asia/Kolkata"]
    let now = t("2027-03-01T12:00:00Z")

    /// `size` workloads in priority order, their pods started within a few days of each other a year ago.
    func herd(_ size: Int, _ random: inout SeededRandom) -> [WorkloadAssessment] {
        var c = Cluster()
        for i in 0..<size {
            let day = String(format: "%02d", 1 + random.below(20))
            let hour = String(format: "%02d", random.below(24))
            let annotations = random.chance(80) ? ["token-warden.dev/maintenance-window": random.pick(windows)] : nil
            c.deployment(String(format: "w%03d", i), ns: "n\(random.below(5))", start: "2026-03-\(day)T\(hour):00:00Z", annotations: annotations)
        }
        let assessment = c.assess(now: now, defaults: PolicyDefaults(restartBefore: 30 * 86_400))
        return assessment.workloads.sorted(by: Planner.priorityOrder)
    }

    func isLate(_ entry: ForecastEntry, margin: Int64) -> Bool {
        guard !entry.deadlinePassed, let deadline = entry.deadline else { return false }
        guard let end = entry.expectedCompletion else { return true }
        return end > deadline - margin
    }

    @Test(arguments: 0..<12) func countingLateRestartsAgreesWithTheForecast(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let workloads = herd(10 + random.below(60), &random)
        let config = PlannerConfig(maxConcurrent: 1 + random.below(3), maxConcurrentPerNamespace: 1 + random.below(2),
                                   typicalRolloutDuration: Int64(300 + random.below(3000)))
        let simulator = ForecastSimulator(config: config)
        let prepared = simulator.prepare(workloads, now: now)
        let active: [WorkloadID: Timestamp] = random.chance(50)
            ? [WorkloadID(kind: .deployment, namespace: "elsewhere", name: "x"): now - 100, workloads[0].id: now - 60] : [:]
        let notBefore = workloads.map { _ in now + Int64(random.below(40 * 86_400)) }
        let scale = random.pick([1, 1.5, 4.0])
        let margin = Int64(random.below(2)) * 86_400
        let late = simulator.run(now: now, active: active, prepared, notBefore: notBefore, durationScale: scale)
            .filter { isLate($0, margin: margin) }.count
        #expect(simulator.lateCount(now: now, active: active, prepared, notBefore: notBefore, durationScale: scale, margin: margin) == late)
        for limit in [0, 1, late / 2, late, late + 1] {
            let counted = simulator.lateCount(now: now, active: active, prepared, notBefore: notBefore, durationScale: scale,
                                              margin: margin, limit: limit)
            if late <= limit { #expect(counted == late) } else { #expect(counted > limit && counted <= late) }
        }
    }

    @Test(arguments: 0..<4) func aTimelineAnswersAsItsWindowDoes(window: Int) throws {
        let w = try MaintenanceWindow.parse(windows[window]).get()
        var timeline = WindowTimeline(w, from: now)
        var cursor = WindowTimeline.Cursor()
        var random = SeededRandom(seed: UInt64(window))
        var time = now
        for _ in 0..<2_000 {
            #expect(timeline.isOpen(at: time, cursor: &cursor) == w.isOpen(at: time))
            #expect(timeline.nextOpen(atOrAfter: time, cursor: &cursor) == w.nextOpen(atOrAfter: time))
            time = time + Int64(random.below(6 * 3600))
        }
    }

    @Test func aKeptTimelineAnswersAsAFreshOne() throws {
        let w = try MaintenanceWindow.parse(windows[2]).get()
        var first = SharedTimelines.timeline(w, from: now)
        var firstCursor = WindowTimeline.Cursor()
        #expect(first.nextOpen(atOrAfter: now + 200 * 86_400, cursor: &firstCursor) != nil)  // reaches past the DST change
        SharedTimelines.keep(first)
        let later = now + 3 * 86_400 + 4321
        var kept = SharedTimelines.timeline(w, from: later)
        #expect(kept.start == later)
        #expect(kept.coveredUntil >= now + 200 * 86_400)
        var fresh = WindowTimeline(w, from: later)
        var keptCursor = WindowTimeline.Cursor(), freshCursor = WindowTimeline.Cursor()
        var time = later
        while time < later + 300 * 86_400 {
            #expect(kept.isOpen(at: time, cursor: &keptCursor) == fresh.isOpen(at: time, cursor: &freshCursor))
            #expect(kept.nextOpen(atOrAfter: time, cursor: &keptCursor) == fresh.nextOpen(atOrAfter: time, cursor: &freshCursor))
            time = time + 5_077
        }
        // A plan for an earlier instant than the kept timeline answers for gets a fresh one.
        #expect(SharedTimelines.timeline(w, from: now - 86_400).start == now - 86_400)
    }
}
