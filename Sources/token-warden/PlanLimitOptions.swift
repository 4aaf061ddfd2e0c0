import ArgumentParser
import Assess
import Plan

/// The limits a plan is made under: `token-warden run`'s flags, and the same flags of `explain`,
/// so that "what the controller will do" is planned as the running controller plans it.
struct PlanLimitOptions: ParsableArguments {
    @Option(help: "Restarts running at once, cluster-wide.")
    var maxConcurrent: Int = 1

    @Option(help: "Restarts running at once in one namespace.")
    var maxConcurrentPerNamespace: Int = 1

    @Option(help: "Report a rollout still running after this long (once, as a Warning Event); it keeps its concurrency slot until it ends. Eviction sequences stop at this point.")
    var rolloutTimeout: String = "15m"

    @Option(help: "Do not restart the same workload again within this long.")
    var restartCooldown: String = "1h"

    @Flag(inversion: .prefixedNo, help: "Start a herd of deadlines early (up to --max-lead) when the forecast shows the maintenance windows and limits cannot restart it in time otherwise.")
    var spreadHerds = true

    /// `resyncInterval` nil: the planner's default (only `run` re-evaluates on a clock).
    func plannerConfig(resyncInterval: Int64? = nil) throws -> PlannerConfig {
        guard maxConcurrent >= 1, maxConcurrentPerNamespace >= 1 else {
            throw ValidationError("--max-concurrent and --max-concurrent-per-namespace must be at least 1")
        }
        var config = PlannerConfig(maxConcurrent: maxConcurrent, maxConcurrentPerNamespace: maxConcurrentPerNamespace,
                                   rolloutTimeout: try seconds(rolloutTimeout, "--rollout-timeout"),
                                   cooldown: try seconds(restartCooldown, "--restart-cooldown"), spreadHerds: spreadHerds)
        if let resyncInterval { config.resyncInterval = resyncInterval }
        return config
    }

    private func seconds(_ text: String, _ flag: String) throws -> Int64 {
        switch DurationText.parsePositive(text) {
        case .success(let value): return value
        case .failure(let error): throw ValidationError("\(flag) \(text): \(error)")
        }
    }
}
