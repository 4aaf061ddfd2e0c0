import Foundation
import ReliabilitySuite

// `make reliability`: every scenario under load, one table. Exit 1 when a row is not green.
// Arguments: scenario names to run only those; `--small` for the fast load.
let arguments = Array(CommandLine.arguments.dropFirst())
let load = arguments.contains("--small") ? LoadProfile.small : LoadProfile.full
let names = arguments.filter { !$0.hasPrefix("--") }
let scenarios = names.isEmpty ? ReliabilityScenarios.all : ReliabilityScenarios.named(names)
var rows: [ScenarioRow] = []
for scenario in scenarios {
    let started = Date()
    FileHandle.standardError.write(Data("running \(scenario.name)…\n".utf8))
    do {
        rows.append(try await scenario.run(load))
    } catch {
        rows.append(ScenarioRow(scenario: scenario.name, load: load.summary, faults: "-", restartsMade: 0, restartsExpected: 0,
                                duplicates: 0, unexpected: 0, breaches: 0, crashes: 0, converged: false, recoverySeconds: 0,
                                failures: ["setup failed: \(error)"]))
    }
    FileHandle.standardError.write(Data("  \(rows.last?.passed == true ? "ok" : "FAIL") in \(Int(Date().timeIntervalSince(started))) s\n".utf8))
    for failure in rows.last?.failures ?? [] { FileHandle.standardError.write(Data("    \(failure)\n".utf8)) }
}
print(ResultTable.render(rows))
exit(rows.allSatisfy(\.passed) ? 0 : 1)
