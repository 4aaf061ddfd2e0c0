import Assess
import KubeModel
import Plan
import Testing

/// The forecast's restart durations learned from finished restarts, and what they change in
/// the herd spreader's choice.
@Suite struct RestartDurationsTests {
    @Test func withoutSamplesTheConfiguredValueApplies() {
        let none = RestartDurations()
        #expect(none.rolloutEstimate(prior: 300) == 300)
        // The configured value is a whole sequence's: pods do not multiply it.
        #expect(none.evictionEstimate(pods: 4, prior: 300) == 300)
    }

    @Test func samplesMoveTheEstimateFromThePriorToTheirMean() {
        var d = RestartDurations()
        for _ in 0..<8 { d.recordRollout(seconds: 900) }
        #expect(d.rolloutEstimate(prior: 300) == 600)  // the prior weighs as 8 samples
        for _ in 0..<(8 * 9) { d.recordRollout(seconds: 900) }
        #expect(d.rolloutEstimate(prior: 300) == (300 * 8 + 900 * 80) / 88)
        // A stuck rollout counts with all the time it held the slot: the mean, not a percentile.
        var stuck = RestartDurations()
        for _ in 0..<49 { stuck.recordRollout(seconds: 240) }
        stuck.recordRollout(seconds: 5 * 3600)
        #expect(stuck.rolloutEstimate(prior: 240) == (240 * 57 + 5 * 3600) / 58)
        #expect(stuck.evictionEstimate(pods: 1, prior: 240) == 240)  // the other strategy is untouched
    }

    @Test func onlyTheMostRecentSamplesCount() {
        var d = RestartDurations()
        for _ in 0..<RestartDurations.capacity { d.recordRollout(seconds: 10_000) }
        for _ in 0..<RestartDurations.capacity { d.recordRollout(seconds: 100) }
        #expect(d.rollout.values.count == RestartDurations.capacity)
        #expect(d.rolloutEstimate(prior: 100) == 100)
    }

    @Test func anEvictionSequenceIsSampledPerPod() {
        var d = RestartDurations()
        for _ in 0..<(RestartDurations.capacity) { d.recordEviction(seconds: 1_200, pods: 4) }
        #expect(d.evictionEstimate(pods: 1, prior: 300) == (300 * 8 + 300 * 256) / 264)
        #expect(d.evictionEstimate(pods: 3, prior: 300) == (300 * 8 + 900 * 256) / 264)
        #expect(d.rolloutEstimate(prior: 300) == 300)
    }

    /// `HerdSpreadingTests`' herd of nine fits in the three nights before its deadline with the
    /// configured 20-minute rollouts; rollouts observed to take 40 minutes fit only two a night,
    /// so the same herd starts early.
    @Test func slowerObservedRestartsStartTheHerdEarly() throws {
        let herd = HerdSpreadingTests()
        let now = t("2026-11-25T02:00:00Z")
        let assessment = herd.assess(herd.herd(9), now: now)
        let planner = Planner(config: herd.config)
        let assumed = planner.plan(assessment, now: now)
        #expect(assumed.decisions.isEmpty)
        #expect(assumed.predictedMisses.isEmpty)

        var observed = RestartDurations()
        for _ in 0..<64 { observed.recordRollout(seconds: 2_400) }
        let learned = planner.plan(assessment, now: now, durations: observed)
        #expect(herd.starts(learned) == ["h00"])
        let decision = try #require(learned.restarts.first)
        #expect(decision.early?.by == herd.due - now)  // the lead of 2 d its five nights need
        #expect(learned.predictedMisses.isEmpty)
        let expected = observed.rolloutEstimate(prior: herd.config.typicalRolloutDuration)
        let first = try #require(learned.forecast.first { $0.workload.name == "h00" })
        #expect(first.expectedCompletion.map { $0 - now } == expected)
        #expect(learned.forecast.compactMap(\.expectedCompletion).max()! <= herd.deadline - 86_400)
    }
}
