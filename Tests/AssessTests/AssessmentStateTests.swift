import KubeModel
import Testing
@testable import Assess

/// `AssessmentState.replace` keeps `ordered` what a sort of every held assessment gives: some
/// re-assessments take their old place (same deadline and class), others move, leave or arrive.
@Suite struct AssessmentStateTests {
    /// The same 60 workloads assessed at three instants: between them some change class (and so
    /// place), most do not.
    func versions() -> [[WorkloadAssessment]] {
        var c = Cluster()
        for i in 0..<60 {
            let day = String(format: "%02d", 1 + i % 28)
            c.deployment(String(format: "w%02d", i), ns: "n\(i % 4)", start: "2025-12-\(day)T0\(i % 10):00:00Z")
        }
        return ["2026-11-20T00:00:00Z", "2026-11-27T00:00:00Z", "2026-12-15T00:00:00Z"].map { c.assess(now: t($0)).workloads }
    }

    @Test(arguments: 1...6) func theOrderStaysSorted(seed: UInt64) {
        let versions = versions()
        var random = SeededRandom(seed: seed)
        var state = AssessmentState()
        state.replace([], with: versions[0])
        var samePlace = 0
        for _ in 0..<40 {
            let source = versions[random.below(versions.count)]
            let chosen = source.filter { _ in random.chance(25) }
            let removed = Set(chosen.map(\.id)).union(versions[0].filter { _ in random.chance(5) }.map(\.id))
            samePlace += chosen.filter { new in
                state.workload(new.id).map { $0.deadline == new.deadline && $0.classification == new.classification } ?? false
            }.count
            state.replace(removed, with: chosen)
            #expect(state.ordered == state.ordered.sorted(by: Assessment.deadlineOrder))
            #expect(state.ordered.count == state.workloadCount)
            #expect(state.ordered.allSatisfy { state.workload($0.id) == $0 })
        }
        #expect(samePlace > 0)  // the in-place path was taken
    }
}
