import Assess

/// `token-warden report` exit codes, for CI and cron jobs.
public enum ReportExitCode {
    /// Nothing needs a restart.
    public static let clean: Int32 = 0
    /// At least one workload is at risk, expired, invalidated or confirmed stale.
    public static let atRisk: Int32 = 1
    /// The report could not be made (cluster unreachable, forbidden, …); set by the caller.
    public static let error: Int32 = 2

    public static func of(_ assessment: Assessment) -> Int32 {
        assessment.workloads.contains { $0.classification.needsRestart } ? atRisk : clean
    }
}
