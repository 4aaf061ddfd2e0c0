import ArgumentParser
import Foundation
import Assess
import KubeModel

/// The cluster-wide policy defaults; annotations on namespaces and workloads override them.
struct PolicyOptions: ParsableArguments {
    @Option(help: "How long the API server accepts an extended token: 'auto' (run: read from the controller's own token; report: what the running controller published on its Lease; else 365d), a duration (365d, 8760h, 90d on EKS) or 'none' (extension off).")
    var tokenLifetime: String = "auto"

    /// `--token-lifetime auto` (the default): the value is found in the cluster.
    var detectsTokenLifetime: Bool { tokenLifetime.trimmingCharacters(in: .whitespaces).lowercased() == "auto" }

    @Option(help: "Restart a workload this long before its oldest token expires.")
    var restartBefore: String = "30d"

    @Option(help: "RFC 3339 instant of a signing-key rotation: tokens issued before it are invalid.")
    var tokensInvalidBefore: String?

    @Option(help: "When restarts may happen, e.g. 'Mon-Fri 02:00-05:00 Europe/Berlin'; several joined by ';' (default: always).")
    var maintenanceWindow: String?

    @Option(help: "estimate (restart by the token-age model) or evidence (only pods the API server's audit events show presenting a stale token; tokens-invalid-before restarts regardless).")
    var restartOn: String = "estimate"

    @Option(help: "How much earlier than --restart-before a herd of deadlines may be started so it fits the maintenance windows and limits (0 turns early starts off).")
    var maxLead: String = "90d"

    func defaults(mode: PolicyMode) throws -> PolicyDefaults {
        var lifetime = TokenLifetime.upstreamDefault  // `auto`: until the cluster says otherwise
        switch detectsTokenLifetime ? .success(lifetime) : TokenLifetime.parse(tokenLifetime) {
        case .success(let value): lifetime = value
        case .failure(let error): throw ValidationError("--token-lifetime \(tokenLifetime): \(error)")
        }
        let before: Int64
        switch DurationText.parsePositive(restartBefore) {
        case .success(let value): before = value
        case .failure(let error): throw ValidationError("--restart-before \(restartBefore): \(error)")
        }
        var invalidBefore: Timestamp?
        if let text = tokensInvalidBefore {
            guard let instant = Timestamp(rfc3339: text) else {
                throw ValidationError("--tokens-invalid-before \(text): not an RFC 3339 time (e.g. 2026-03-01T00:00:00Z)")
            }
            invalidBefore = instant
        }
        var window: MaintenanceWindow?
        if let text = maintenanceWindow {
            switch MaintenanceWindow.parse(text) {
            case .success(let value): window = value
            case .failure(let error): throw ValidationError("--maintenance-window \(text): \(error)")
            }
        }
        let lead: Int64
        switch DurationText.parse(maxLead) {
        case .success(let value) where value >= 0: lead = value
        case .success: throw ValidationError("--max-lead \(maxLead): \(DurationText.ParseError.negative)")
        case .failure(let error): throw ValidationError("--max-lead \(maxLead): \(error)")
        }
        guard let restartOn = RestartOn(rawValue: restartOn) else {
            throw ValidationError("--restart-on \(self.restartOn): expected estimate or evidence")
        }
        return PolicyDefaults(
            mode: mode, tokenLifetime: lifetime, restartBefore: before, tokensInvalidBefore: invalidBefore,
            maintenanceWindow: window, maxLead: lead, restartOn: restartOn)
    }
}
