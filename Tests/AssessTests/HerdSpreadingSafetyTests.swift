import Assess
import KubeModel
@testable import Plan
import Testing

/// The lead judged pessimistically, as the controller does: with nothing observed yet, a restart
/// is taken to last four times the configured 20 minutes, so the one-hour window takes one a
/// night instead of three (the setting of `HerdSpreadingTests`).
@Suite struct HerdSpreadingSafetyTests {
    let base = HerdSpreadingTests()
    let config = PlannerConfig(maxConcurrent: 1, typicalRolloutDuration: 1200, resyncInterval: 30 * 86_400)

    @Test func theLessIsObservedTheMoreMarginTheLeadKeeps() {
        #expect(HerdSpreader.safety(samples: 0) == 4)
        #expect(HerdSpreader.safety(samples: 8) == 2.75)
        #expect(HerdSpreader.safety(samples: 64) < 1.8)
        #expect(HerdSpreader.safety(samples: 10_000) > 1.5)
    }

    @Test func withNothingObservedAHerdThatOnlyJustFitsStartsEarly() throws {
        // Five fit in the three nights before the margin at three a night; at one a night they
        // need five, so a lead of 2 d: from the night of the 25th.
        let before = t("2026-11-24T02:00:00Z")
        let waiting = Planner(config: config).plan(base.assess(base.herd(5), now: before), now: before)
        #expect(waiting.decisions.isEmpty)
        #expect(waiting.requeueAt == base.due - 2 * 86_400)

        let now = t("2026-11-25T02:00:00Z")
        let plan = Planner(config: config).plan(base.assess(base.herd(5), now: now), now: now)
        #expect(base.starts(plan) == ["h00"])
        let decision = try #require(plan.restarts.first)
        #expect(decision.early == EarlyStart(by: base.due - now, lateWithout: 2))
        // The published forecast keeps the expected 20 minutes: three tonight, two tomorrow, no miss.
        #expect(plan.predictedMisses.isEmpty)
        #expect(plan.forecast.compactMap(\.expectedCompletion).max() == t("2026-11-26T02:40:00Z"))

        // Judged on the expected durations alone, the same herd waits for its due time.
        let trusting = PlannerConfig(maxConcurrent: 1, typicalRolloutDuration: 1200, resyncInterval: 30 * 86_400, leadSafety: 1)
        #expect(Planner(config: trusting).plan(base.assess(base.herd(5), now: now), now: now).decisions.isEmpty)
    }

    @Test func observedDurationsReplaceTheGuessAndShrinkTheMargin() {
        // 64 restarts of 20 minutes observed: taken as 36 minutes, two a night: five fit, nothing early.
        var durations = RestartDurations()
        for _ in 0..<64 { durations.recordRollout(seconds: 1200) }
        let now = t("2026-11-25T02:00:00Z")
        let plan = Planner(config: config).plan(base.assess(base.herd(5), now: now), now: now, durations: durations)
        #expect(plan.decisions.isEmpty)
        // Rollouts observed at twice the guess: at 1.8 × 40 minutes one a night again, and the herd starts early.
        var slow = RestartDurations()
        for _ in 0..<64 { slow.recordRollout(seconds: 2400) }
        let early = Planner(config: config).plan(base.assess(base.herd(5), now: now), now: now, durations: slow)
        #expect(base.starts(early) == ["h00"])
    }

    /// The last plan's lead is where the search starts: on herds whose lateness falls with the lead
    /// (these: one window, one length of restart), every hint gives the plan made without one —
    /// herds that fit, and herds of 25 and 40 that not even max-lead fits.
    @Test func theLastLeadAsAHintChangesNothing() {
        for size in [3, 5, 7, 12, 25, 40] {
            for now in [t("2026-11-23T02:00:00Z"), t("2026-11-24T12:00:00Z"), t("2026-11-25T02:00:00Z")] {
                let assessment = base.assess(base.herd(size), now: now)
                let plain = Planner(config: config).plan(assessment, now: now)
                for hint in [1, 2, 3, 5, 40].map({ Int64($0) * 86_400 }) + [3_600] {
                    #expect(Planner(config: config).plan(assessment, now: now, leadHint: hint) == plain, "herd \(size) at \(now), hint \(hint)")
                }
            }
        }
    }
}
