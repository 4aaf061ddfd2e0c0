import Foundation
import Plan

/// The twin's table: one line per check, each with its verdict.
public struct TwinResult: Sendable {
    public struct Line: Sendable {
        public var check: String
        public var value: String
        public var passed: Bool
    }

    public let lines: [Line]
    /// Plans that reused the last forecast (`ForecastMemo`), of all plans made.
    public let forecastReuse: (reused: Int, plans: Int)
    public var passed: Bool { lines.allSatisfy(\.passed) }
    /// Every line but the runtime, as text: what two runs that decide alike share.
    public var decisionLines: [String] { lines.filter { $0.check != "runtime" }.map { "\($0.check): \($0.value) \($0.passed)" } }

    init(options: TwinOptions, ledger: TwinLedger, workloads: [TwinWorkload], minimum: [Int], runtimeSeconds: Double) {
        var lines: [Line] = []
        let years = Double(options.days) / 365
        let protectable = workloads.filter { $0.kind.protectable }
        let old = protectable.filter(\.oldClient)
        let hit = ledger.expiryIncidents.keys.filter { workloads[$0].kind.protectable }
        let longest = hit.map { ledger.expiryIncidents[$0]! }.max() ?? 0
        lines.append(Line(check: "token-expiry incidents, protectable old clients",
                          value: "\(hit.count) of \(old.count)" + (hit.isEmpty ? "" : " (longest \(Self.duration(longest)))"),
                          passed: hit.isEmpty))
        let bare = ledger.unprotectedIncidents.count
        lines.append(Line(check: "  bare pods (report only, never restarted)", value: "\(bare) with an incident", passed: true))
        if let rotation = ledger.rotationAt {
            // Old clients fail from the rotation until restarted: unavoidable, but every one must be
            // restarted within a week (every window opens nightly; the operator raised the limits).
            // The first plan's forecast is shown beside it, with the restart durations learned by then.
            let worst = ledger.rotationOutage.values.max() ?? 0
            let forecast = ledger.rotationForecastEnd.map { $0 == .max ? Int64.max : $0 - rotation } ?? 0
            let forecastText = forecast == .max ? "never" : Self.duration(forecast)
            lines.append(Line(check: "key rotation \(Self.date(rotation)): protectable old clients until restarted",
                              value: "\(ledger.rotationOutage.count) workloads, longest \(Self.duration(worst)) (forecast \(forecastText))"
                                  + (ledger.rotationLimit.map { ", limits \($0) / \(max(2, $0 / 5))" } ?? ""),
                              passed: worst <= 7 * 86_400))
        }
        let restarted = protectable.filter { $0.restartsByWarden > 0 }
        let ours = protectable.map(\.restartsByWarden).reduce(0, +)
        let needed = protectable.map { minimum[$0.index] }.reduce(0, +)
        let perPeriod = restarted.map { Double($0.restartsByWarden) / years }
        let mean = perPeriod.isEmpty ? 0 : perPeriod.reduce(0, +) / Double(perPeriod.count)
        let maxOurs = protectable.map(\.restartsByWarden).max() ?? 0
        let maxNeeded = protectable.map { minimum[$0.index] }.max() ?? 0
        // Early starts and restarts a few days before a redeploy cost a little; churn would show as far more.
        lines.append(Line(check: "restarts by token-warden (minimum needed)",
                          value: "\(ours) (\(needed)); per restarted workload and grace period mean \(String(format: "%.2f", mean)), max \(Self.perYear(maxOurs, years)) (\(Self.perYear(maxNeeded, years)))",
                          passed: Double(ours) <= Double(needed) * 1.5 + 10 && maxOurs <= maxNeeded + 2))
        lines.append(Line(check: "early starts (herd spreading)",
                          value: "\(ledger.earlyStarts), longest lead \(Self.duration(ledger.longestEarlyLead))", passed: true))
        let breaches = ledger.clusterLimitBreaches + ledger.namespaceLimitBreaches + ledger.windowBreaches + ledger.pdbBreaches
        lines.append(Line(check: "breaches: cluster limit / namespace limit / window / PDB",
                          value: "\(ledger.clusterLimitBreaches) / \(ledger.namespaceLimitBreaches) / \(ledger.windowBreaches) / \(ledger.pdbBreaches)"
                              + (ledger.breachExamples.first.map { " (e.g. \($0))" } ?? ""),
                          passed: breaches == 0))
        let expiryMisses = ledger.misses  // expired by the estimate (a key rotation's invalidation is not a miss)
        let predicted = expiryMisses.compactMap { key in ledger.predicted[key].map { Double(key.deadline - $0) / 86_400 } }
        let ahead = predicted.isEmpty ? "" : String(format: ", %.1f–%.1f d ahead", predicted.min()!, predicted.max()!)
        lines.append(Line(check: "deadline misses predicted (ForecastMiss)",
                          value: "\(predicted.count) of \(expiryMisses.count)\(ahead)", passed: predicted.count == expiryMisses.count))
        lines.append(Line(check: "rollouts timed out (reported)", value: "\(ledger.rolloutTimeouts.count)", passed: true))
        let learned = ledger.durationsAtEnd, prior = options.plannerConfig().typicalRolloutDuration
        lines.append(Line(check: "forecast's restart duration, learned (prior)",
                          value: "rollout \(learned.rolloutEstimate(prior: prior)) s of \(learned.rollout.values.count) samples, "
                              + "eviction \(learned.evictionEstimate(pods: 1, prior: prior)) s per pod of \(learned.evictionPerPod.values.count) (\(prior) s)",
                          passed: true))
        lines.append(Line(check: "run: workloads / pods / days / passes",
                          value: "\(workloads.count) / \(workloads.map(\.replicas).reduce(0, +)) / \(options.days) / \(ledger.passes)", passed: true))
        let reuse = ledger.forecastsReused
        forecastReuse = reuse
        let share = 100 * Double(reuse.reused) / Double(max(1, reuse.plans))
        let reused = reuse.plans > 0 ? String(format: " (%.0f %% of %d plans reused the last forecast)", share, reuse.plans) : ""
        lines.append(Line(check: "runtime", value: String(format: "%.1f s", runtimeSeconds) + reused, passed: true))
        self.lines = lines
    }

    /// The table, with a verdict column.
    public func table(title: String) -> String {
        let width = max(title.count, lines.map(\.check.count).max() ?? 0)
        var out = title.padding(toLength: width, withPad: " ", startingAt: 0) + "  ok  value\n"
        for line in lines {
            out += line.check.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + (line.passed ? "✓ " : "✗ ") + "  " + line.value + "\n"
        }
        return out
    }

    static func duration(_ seconds: Int64) -> String {
        if seconds >= 86_400 { return String(format: "%.1f d", Double(seconds) / 86_400) }
        if seconds >= 3600 { return String(format: "%.1f h", Double(seconds) / 3600) }
        return "\(seconds / 60) min"
    }

    static func perYear(_ count: Int, _ years: Double) -> String { String(format: "%.1f", Double(count) / years) }

    static func date(_ seconds: Int64) -> String {
        String(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(seconds))).prefix(10))
    }
}
