import ArgumentParser
import Assess
import Plan

/// The limits a plan is made under, as `token-warden run`'s flags of the same names and
/// defaults: `explain` takes them so that "what the controller will do" is planned as the
/// running controller plans it.
struct PlanLimitOptions: ParsableArguments {
    @Option(help: "The controller's --max-concurrent: restarts running at once, cluster-wide.")
    var maxConcurrent: Int = 1

    @Option(help: "The controller's --max-concurrent-per-namespace.")
    var maxConcurrentPerNamespace: Int = 1

    @Option(help: "The controller's --rollout-timeout.")
    var rolloutTimeout: String = "15m"

    @Option(help: "The controller's --restart-cooldown.")
    var restartCooldown: String = "1h"

    func plannerConfig() throws -> PlannerConfig {
        guard maxConcurrent >= 1, maxConcurrentPerNamespace >= 1 else {
            throw ValidationError("--max-concurrent and --max-concurrent-per-namespace must be at least 1")
        }
        return PlannerConfig(maxConcurrent: maxConcurrent, maxConcurrentPerNamespace: maxConcurrentPerNamespace,
                             rolloutTimeout: try seconds(rolloutTimeout, "--rollout-timeout"),
                             cooldown: try seconds(restartCooldown, "--restart-cooldown"))
    }

    private func seconds(_ text: String, _ flag: String) throws -> Int64 {
        switch DurationText.parsePositive(text) {
        case .success(let value): return value
        case .failure(let error): throw ValidationError("\(flag) \(text): \(error)")
        }
    }
}
