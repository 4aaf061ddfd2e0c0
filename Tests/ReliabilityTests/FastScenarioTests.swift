import Testing
import ReliabilitySuite

/// The fast subset of `make reliability`: a few scenarios at a small load (a hundred pods, churn
/// 10/s). Each row must be green; the failure message is the row as the table prints it.
@Suite(.serialized) struct FastScenarioTests {
    @Test(arguments: ["410-storm", "token-revoked", "killed-mid-rollout", "malformed-annotations", "forged-audit-batches"])
    func scenarioIsGreen(_ name: String) async throws {
        let scenario = try #require(ReliabilityScenarios.named([name]).first)
        let row = try await scenario.run(.small)
        #expect(row.passed, "\(ResultTable.render([row]))")
    }
}
