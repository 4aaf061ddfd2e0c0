import ArgumentParser
import Foundation
import DigitalTwin

/// `make twin`: token-warden's Assessor and Planner over two simulated years of a cluster's life.
@main
struct WardenTwin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warden-twin",
        abstract: "Runs the real assessment and planning on a virtual clock over a simulated cluster's life and checks the outcome.",
        discussion: "Prints one table; exits 1 when a check fails (with --compare: when the run with spreading on fails; 2 when either run could not run).")

    @Option(help: "Random seed (the cluster, its life and the outcomes).") var seed: UInt64 = 1
    @Option(help: "Workloads in the simulated cluster.") var workloads: Int = 10_000
    @Option(help: "Simulated days.") var days: Int = 730
    @Option(help: "The controller's --restart-before, in days.") var restartBeforeDays: Int = 30
    @Option(help: "Restarts running at once, cluster-wide.") var maxConcurrent: Int = 1
    @Option(help: "Restarts running at once in one namespace.") var maxConcurrentPerNamespace: Int = 1
    @Flag(inversion: .prefixedNo, help: "Herd spreading (the controller's --spread-herds).") var spreadHerds = true
    @Flag(help: "Run twice at once (two processes), spreading on and off, and print both tables.") var compare = false
    @Flag(inversion: .prefixedNo, help: "The forecast learns the restarts' durations (off: it keeps the configured 300 s).")
    var learnDurations = true
    @Flag(help: "Assess and plan the whole cluster on every pass (as the controller does): the same result, far slower.")
    var wholeClusterPasses = false
    @Flag(inversion: .prefixedNo, help: "Plans reuse the last forecast while it holds (as the controller does); off: the same result, slower.")
    var forecastMemo = true
    @Option(help: "Instead of a run: the CPU cost of one assessment and plan on that day of the run (a herd on its way).")
    var measurePlanDay: Int?

    func run() throws {
        guard workloads >= 1, days >= 1, maxConcurrent >= 1, maxConcurrentPerNamespace >= 1 else {
            throw ValidationError("--workloads, --days and the limits must be at least 1")
        }
        var options = TwinOptions()
        options.seed = seed
        options.workloads = workloads
        options.days = days
        options.maxConcurrent = maxConcurrent
        options.restartBeforeDays = restartBeforeDays
        options.maxConcurrentPerNamespace = maxConcurrentPerNamespace
        options.wholeClusterPasses = wholeClusterPasses
        options.learnDurations = learnDurations
        options.forecastMemo = forecastMemo
        options.outageDay = min(options.outageDay, max(0, days - 3))
        options.upgradeDay = min(options.upgradeDay, max(0, days - 1))
        options.spreadHerds = compare ? true : spreadHerds
        if let day = measurePlanDay {
            let cost = TwinPlanCost.measure(options, day: day, restartBeforeDays: restartBeforeDays)
            print("workloads \(cost.workloads), pods \(cost.pods), day \(day): assess \(String(format: "%.3f", cost.assessSeconds)) s, "
                + "plan \(String(format: "%.3f", cost.planSpreadingSeconds)) s with spreading, \(String(format: "%.3f", cost.planPlainSeconds)) s without; "
                + "forecast \(cost.forecastEntries) entries, \(cost.predictedMisses) predicted misses (CPU, best of 3)")
            return
        }
        if compare {
            try runBothAtOnce()
            return
        }
        let result = DigitalTwin(options: options).run()
        print(result.table(title: "twin, seed \(seed), spreading \(options.spreadHerds ? "on" : "off")"))
        if !result.passed { throw ExitCode(1) }
    }

    /// `--compare`: this program twice at once, spreading on and off, each a process of its own
    /// (the two runs share nothing, not even a cache, and take a core each); their tables in that
    /// order. Exits 1 when the run with spreading on fails, 2 when either could not run.
    private func runBothAtOnce() throws {
        var common = ["--seed", "\(seed)", "--workloads", "\(workloads)", "--days", "\(days)",
                      "--restart-before-days", "\(restartBeforeDays)", "--max-concurrent", "\(maxConcurrent)",
                      "--max-concurrent-per-namespace", "\(maxConcurrentPerNamespace)",
                      learnDurations ? "--learn-durations" : "--no-learn-durations",
                      forecastMemo ? "--forecast-memo" : "--no-forecast-memo"]
        if wholeClusterPasses { common.append("--whole-cluster-passes") }
        let spreading = ["--spread-herds", "--no-spread-herds"]
        let runs = try spreading.map { try TwinProcess(arguments: common + [$0]) }
        let finished = runs.map { $0.wait() }
        for outcome in finished { print(outcome.output, terminator: "") }
        for (outcome, flag) in zip(finished, spreading) where outcome.status > 1 {
            FileHandle.standardError.write(Data("warden-twin \(flag) ended with status \(outcome.status)\n".utf8))
            throw ExitCode(2)
        }
        if finished[0].status != 0 { throw ExitCode(1) }
    }
}
