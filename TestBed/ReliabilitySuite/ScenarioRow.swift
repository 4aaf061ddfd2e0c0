import Foundation

/// One line of the reliability table: what was thrown at the controller and what it did.
public struct ScenarioRow: Sendable {
    public var scenario: String
    public var load: String
    public var faults: String
    public var restartsMade: Int
    public var restartsExpected: Int
    /// Second restarts of one workload for one deadline.
    public var duplicates: Int
    /// Restarts of workloads that were not due (or were excluded by bad input).
    public var unexpected: Int
    /// Concurrency, namespace, window or PDB limits exceeded.
    public var breaches: Int
    public var crashes: Int
    public var converged: Bool
    public var recoverySeconds: Double
    /// Scenario-specific checks that failed, in words.
    public var failures: [String]

    public init(scenario: String, load: String, faults: String, restartsMade: Int, restartsExpected: Int, duplicates: Int,
                unexpected: Int, breaches: Int, crashes: Int, converged: Bool, recoverySeconds: Double, failures: [String]) {
        self.scenario = scenario
        self.load = load
        self.faults = faults
        self.restartsMade = restartsMade
        self.restartsExpected = restartsExpected
        self.duplicates = duplicates
        self.unexpected = unexpected
        self.breaches = breaches
        self.crashes = crashes
        self.converged = converged
        self.recoverySeconds = recoverySeconds
        self.failures = failures
    }

    public var passed: Bool {
        failures.isEmpty && restartsMade == restartsExpected && duplicates == 0 && unexpected == 0 && breaches == 0
            && crashes == 0 && converged
    }
}

/// Renders rows as a fixed-width table (green/red marks, no colours: logs stay readable).
public enum ResultTable {
    public static func render(_ rows: [ScenarioRow]) -> String {
        let header = ["", "scenario", "load", "faults injected", "restarts made/expected", "dup", "limit breaches", "crashes",
                      "converged", "recovery"]
        let lines = rows.map { row in
            [row.passed ? "ok" : "FAIL", row.scenario, row.load, row.faults, "\(row.restartsMade)/\(row.restartsExpected)",
             "\(row.duplicates + row.unexpected)", "\(row.breaches)", "\(row.crashes)", row.converged ? "yes" : "no",
             formatSeconds(row.recoverySeconds)]
        }
        var widths = header.map(\.count)
        for line in lines {
            for (index, cell) in line.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        func format(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingTrailingSpaces()
        }
        var out = [format(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        out += lines.map(format)
        for row in rows where !row.failures.isEmpty {
            out.append("  \(row.scenario): " + row.failures.joined(separator: "; "))
        }
        let passed = rows.filter(\.passed).count
        out.append("\(passed)/\(rows.count) scenarios green")
        return out.joined(separator: "\n")
    }

    static func formatSeconds(_ seconds: Double) -> String {
        let tenths = Int((seconds * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) s"
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
