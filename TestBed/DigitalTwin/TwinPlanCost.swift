import Assess
import Foundation
import KubeModel
import Plan
import WatchCache

/// What one planner pass costs on the twin's cluster while a herd is on its way (the forecast
/// then spans max-lead and the spreader searches a lead): CPU seconds of assessing, and of
/// planning with spreading on and off, each the best of `repeats`.
public struct TwinPlanCost: Sendable {
    public var workloads: Int
    public var pods: Int
    public var assessSeconds: Double
    public var planSpreadingSeconds: Double
    public var planPlainSeconds: Double
    public var forecastEntries: Int
    public var predictedMisses: Int

    public static func measure(_ options: TwinOptions, day: Int, restartBeforeDays: Int, repeats: Int = 3) -> TwinPlanCost {
        var rng = SplitMix64(seed: options.seed)
        var workloads = TwinPopulation.make(options, start: DigitalTwin.epoch, rng: &rng)
        var objects = TwinObjects(workloads: workloads.count, namespaces: TwinPopulation.namespaces(options))
        let now = DigitalTwin.epoch + Int64(day) * DigitalTwin.day
        let snapshot = objects.snapshot(&workloads, now: now)
        let defaults = PolicyDefaults(restartBefore: Int64(restartBeforeDays) * DigitalTwin.day)
        let at = Timestamp(seconds: now)
        var assessment = Assessor(defaults: defaults).assess(snapshot, now: at)
        var best = (assess: Double.infinity, on: Double.infinity, off: Double.infinity)
        var plan = Planner().plan(assessment, now: at)
        for _ in 0..<max(1, repeats) {
            let t0 = cpuSeconds()
            assessment = Assessor(defaults: defaults).assess(snapshot, now: at)
            let t1 = cpuSeconds()
            plan = Planner(config: options.plannerConfig()).plan(assessment, now: at)
            let t2 = cpuSeconds()
            var off = options
            off.spreadHerds = false
            _ = Planner(config: off.plannerConfig()).plan(assessment, now: at)
            let t3 = cpuSeconds()
            best = (min(best.assess, t1 - t0), min(best.on, t2 - t1), min(best.off, t3 - t2))
        }
        return TwinPlanCost(workloads: workloads.count, pods: snapshot.pods.count, assessSeconds: best.assess,
                            planSpreadingSeconds: best.on, planPlainSeconds: best.off, forecastEntries: plan.forecast.count,
                            predictedMisses: plan.predictedMisses.count)
    }

    /// CPU time of the calling thread.
    static func cpuSeconds() -> Double {
        var usage = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &usage)
        return Double(usage.tv_sec) + Double(usage.tv_nsec) / 1e9
    }
}
