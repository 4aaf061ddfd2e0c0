/// A named scenario of the reliability suite, run at a given load.
public struct ReliabilityScenario: Sendable {
    public let name: String
    public let run: @Sendable (LoadProfile) async throws -> ScenarioRow

    public init(_ name: String, _ run: @escaping @Sendable (LoadProfile) async throws -> ScenarioRow) {
        self.name = name
        self.run = run
    }
}

public enum ReliabilityScenarios {
    /// Every scenario, in table order.
    public static let all: [ReliabilityScenario] = [
        .init("baseline", ServerFaultScenarios.baseline),
        .init("api-server-restart", ServerFaultScenarios.apiServerRestart),
        .init("410-storm", ServerFaultScenarios.goneStorm),
        .init("429-every-verb", ServerFaultScenarios.tooManyRequests),
        .init("500-503-bursts", ServerFaultScenarios.serverErrors),
        .init("slow-stalled-dropped", ServerFaultScenarios.slowAndStalled),
        .init("clock-skew", ServerFaultScenarios.clockSkew),
        .init("token-symlink-rotation", IdentityScenarios.tokenRotation),
        .init("token-revoked", IdentityScenarios.tokenRevoked),
        .init("ca-file-rotated", IdentityScenarios.certificateAuthorityRotated),
        .init("killed-mid-rollout", ControllerFaultScenarios.killedMidRollout),
        .init("leader-killed", ControllerFaultScenarios.leaderKilled),
        .init("pdb-never-allows", ControllerFaultScenarios.pdbNeverAllows),
        .init("deleted-scaled-mid-restart", ControllerFaultScenarios.deletedOrScaledMidRestart),
        .init("malformed-annotations", ControllerFaultScenarios.malformedAnnotations),
        .init("custom-owners", ActingUnderFailureScenarios.customOwners),
        .init("pdb-gives-up", ActingUnderFailureScenarios.pdbGivesUp),
        .init("refused-patch", ActingUnderFailureScenarios.refusedPatch),
        .init("restarted-controller", ActingUnderFailureScenarios.restartedController),
        .init("lease-stalls", ActingUnderFailureScenarios.leaseStalls),
        .init("lease-taken", LeaseScenarios.leaseTaken),
        .init("backoff-on-lease", LeaseScenarios.backoffOnLease),
        .init("leader-change", LeaseScenarios.leaderChange),
        .init("short-watches", ActingUnderFailureScenarios.shortWatches),
        .init("forged-audit-batches", EvidenceScenarios.forgedBatches),
    ]

    public static func named(_ names: [String]) -> [ReliabilityScenario] {
        all.filter { names.contains($0.name) }
    }
}
