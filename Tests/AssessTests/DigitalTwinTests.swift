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
        // or PDB is ever breached, every miss was predicted. (The restart count is reported; see
        // the README on eviction sequences whose deadline moves.)
        #expect(line("token-expiry incidents")?.passed == true, "\(table)")
        #expect(line("token-expiry incidents")?.value.hasPrefix("0 of") == true, "\(table)")
        #expect(line("breaches")?.passed == true, "\(table)")
        #expect(line("deadline misses predicted")?.passed == true, "\(table)")
        #expect(line("run:")?.value.hasPrefix("60 / ") == true, "\(table)")
    }
}
