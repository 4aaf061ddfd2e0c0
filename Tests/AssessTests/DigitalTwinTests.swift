import DigitalTwin
import Testing

/// The twin's default run at a small size (`make twin` runs the full one): two years of a
/// cluster's life through the real Assessor and Planner.
@Suite struct DigitalTwinTests {
    @Test func twoYearsOfASmallCluster() {
        var options = TwinOptions()
        options.workloads = 60
        options.namespaces = 12
        let result = DigitalTwin(options: options).run()
        let table = result.table(title: "twin, small")
        func line(_ prefix: String) -> TwinResult.Line? { result.lines.first { $0.check.hasPrefix(prefix) } }
        // The invariants: no protectable old client ever holds an expired token, no limit, window
        // or PDB is ever breached, every miss was predicted, no more restarts than the rule allows,
        // the key rotation's restarts done within a week. Every line of the table passes.
        #expect(line("token-expiry incidents")?.passed == true, "\(table)")
        #expect(line("token-expiry incidents")?.value.hasPrefix("0 of") == true, "\(table)")
        #expect(line("breaches")?.passed == true, "\(table)")
        #expect(line("deadline misses predicted")?.passed == true, "\(table)")
        #expect(line("run:")?.value.hasPrefix("60 / ") == true, "\(table)")
        #expect(line("restarts by token-warden")?.passed == true, "\(table)")
        #expect(line("key rotation")?.passed == true, "\(table)")
        #expect(result.passed, "\(table)")
    }
}

/// The twin's passes assess and plan only the workloads the planner could act on
/// (`TwinAssessments`); they must decide exactly as passes over the whole cluster do.
@Suite struct TwinIncrementalPassTests {
    /// 16 workloads of a herd with one day of restart-before: too short, so early starts.
    static func smallHerd(days: Int) -> TwinOptions {
        var options = TwinOptions()
        options.workloads = 16
        options.days = days
        options.herdAgeDays = 340
        options.restartBeforeDays = 1
        return options
    }

    @Test func relevantWorkloadsOnlyDecideAsTheWholeCluster() {
        // 130 days: the herd's deadlines on day 25, the outage on day 40, the key rotation on day 100.
        var options = Self.smallHerd(days: 130)
        options.outageDay = 40
        var whole = options
        whole.wholeClusterPasses = true
        let fast = DigitalTwin(options: options).run(), full = DigitalTwin(options: whole).run()
        #expect(fast.decisionLines == full.decisionLines, "\(fast.table(title: "relevant only"))\(full.table(title: "whole cluster"))")
        let early = fast.lines.first { $0.check.hasPrefix("early starts") }?.value ?? ""
        #expect(!early.hasPrefix("0,"), "\(fast.table(title: "relevant only"))")
        #expect(fast.lines.contains { $0.check.hasPrefix("key rotation") }, "\(fast.table(title: "relevant only"))")
    }

    /// Plans that reuse the last forecast (`ForecastMemo`) decide as plans that simulate it afresh.
    @Test func theForecastCarriedBetweenPlansDecidesAsAFreshOne() {
        let options = Self.smallHerd(days: 60)
        var plain = options
        plain.forecastMemo = false
        let carried = DigitalTwin(options: options).run(), fresh = DigitalTwin(options: plain).run()
        #expect(carried.decisionLines == fresh.decisionLines, "\(carried.table(title: "carried"))\(fresh.table(title: "fresh"))")
        #expect(carried.forecastReuse.reused > 0, "\(carried.forecastReuse)")
        #expect(fresh.forecastReuse.plans == 0)
    }
}
