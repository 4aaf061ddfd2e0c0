import APIClient
import ArgumentParser
import Assess
import Controller
import Evidence
import Foundation
import KubeModel
import Logging
import Observe

/// `token-warden audit FILE…`: which pods presented stale ServiceAccount tokens, from the API
/// server's audit log (JSON lines, `audit.k8s.io/v1` Events; plain or gzip; `-` for stdin).
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Report pods that presented stale ServiceAccount tokens, from kube-apiserver audit logs.",
        discussion: """
            Reads audit.k8s.io/v1 Event lines (plain or gzip, detected by content; '-' reads stdin) in \
            constant memory, also as the managed providers export them (detected per file and per line): \
            EKS CloudWatch Logs ('aws logs filter-log-events' JSON, subscription/Firehose payloads, \
            S3 export tasks, one message per line) and AKS diagnostic settings (records[].properties.log). \
            It lists every pod whose requests carried the \
            'authentication.k8s.io/stale-token' annotation (token age = seconds after warning + 3607 s), \
            plus invalidated legacy Secret tokens still in use. Malformed lines, unknown versions and \
            truncated gzip files are counted in the summary, never fatal. Exit status 1 only when no \
            file could be read.
            """)

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case table
        case json
    }

    @Argument(help: "Audit log files (plain or .gz, raw or as EKS/AKS export it); '-' for standard input.")
    var files: [String]

    @Option(name: [.short, .customLong("output")], help: "Output format: table or json.")
    var output: OutputFormat = .table

    @Option(name: [.short, .customLong("namespace")], help: "Only report these namespaces (repeatable).")
    var namespaces: [String] = []

    @Option(help: "Skip (and count) lines longer than this many bytes.")
    var maxLineLength: Int = 16 << 20

    @Flag(inversion: .prefixedNo, help: "Show bytes read on stderr (default: when stderr is a terminal).")
    var progress: Bool?

    @Flag(help: "Ask the cluster which workload owns each pod (adds a WORKLOAD column; uses --kubeconfig/--context or the in-cluster config).")
    var withWorkloads = false

    @Flag(help: "Write the evidence onto the pods that still exist with the same uid (annotations token-warden.dev/stale-token-issued-at and -seen-at), for restart-on: evidence; uses --kubeconfig/--context or the in-cluster config.")
    var record = false

    @Flag(help: "With --record: read the pods and print what would be written, write nothing.")
    var dryRun = false

    @OptionGroup var cluster: ClusterConnectionOptions

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one audit log file") }
        guard maxLineLength > 0 else { throw ValidationError("--max-line-length must be positive") }
        guard record || !dryRun else { throw ValidationError("--dry-run applies to --record") }
    }

    func run() async throws {
        let showProgress = progress ?? (isatty(2) == 1)
        var report = Self.readReport(
            files: files, maximumLineLength: maxLineLength, progress: showProgress ? ProgressSink() : nil)
        if withWorkloads || cluster.kubeconfig != nil || cluster.context != nil {
            do {
                report.joinWorkloads(try await Self.workloadsByPod(cluster))
            } catch {
                FileHandle.standardError.write(Data("warning: cannot join pods to workloads: \(error)\n".utf8))
            }
        }
        if !namespaces.isEmpty {
            let wanted = Set(namespaces)
            report.staleTokenPods.removeAll { !wanted.contains($0.namespace) }
            report.invalidatedLegacyTokens.removeAll { !wanted.contains($0.namespace) }
        }
        for problem in report.problems {
            FileHandle.standardError.write(Data("warning: \(problem)\n".utf8))
        }
        switch output {
        case .table:
            print(AuditReportRenderer.table(report), terminator: "")
        case .json:
            try StandardOutput.stream { try AuditReportRenderer.writeJSON(report, $0) }  // as it is encoded, pod by pod
        }
        if report.summary.files > 0, report.summary.unreadableFiles == report.summary.files {
            throw ExitCode(1)
        }
        if record, try await !Self.record(report, cluster: cluster, dryRun: dryRun, toStandardError: output == .json) {
            throw ExitCode(1)
        }
    }

    /// Writes the evidence onto the pods and prints one line per pod (on stderr when stdout
    /// carries JSON). False when a write failed.
    static func record(_ report: AuditEvidenceReport, cluster: ClusterConnectionOptions, dryRun: Bool, toStandardError: Bool) async throws -> Bool {
        let config: ClusterConfig
        do {
            config = try cluster.load()
        } catch {
            throw ValidationError("--record needs a cluster: \(error)")
        }
        let client = KubeClient(config: config, logger: Logger(label: "token-warden.audit"), userAgent: BuildInfo.userAgent)
        let results = await AuditEvidenceRecorder(client: client, dryRun: dryRun).record(report.staleTokenPods)
        var text = results.map(\.description).joined(separator: "\n")
        let written = results.filter { $0.outcome == .written || $0.outcome == .wouldWrite }.count
        let failed = results.filter { if case .failed = $0.outcome { true } else { false } }.count
        text += (text.isEmpty ? "" : "\n")
            + "\(dryRun ? "would record" : "recorded") evidence on \(written) pod(s), skipped \(results.count - written - failed), failed \(failed)\n"
        if toStandardError {
            FileHandle.standardError.write(Data(text.utf8))
        } else {
            print(text, terminator: "")
        }
        return failed == 0
    }

    /// Pod uid → owning workload, resolved the same way the controller resolves owners.
    static func workloadsByPod(_ cluster: ClusterConnectionOptions) async throws -> [String: WorkloadReference] {
        let client = KubeClient(config: try cluster.load(), logger: Logger(label: "token-warden.audit"), userAgent: BuildInfo.userAgent)
        let snapshot = try await SnapshotFetcher(client: client, namespace: nil).fetch()
        let assessment = Assessor().assess(snapshot, now: Timestamp(seconds: Int64(Date().timeIntervalSince1970)))
        var map: [String: WorkloadReference] = [:]
        for workload in assessment.workloads {
            for pod in workload.pods {
                guard let uid = pod.ref.uid else { continue }
                map[uid] = WorkloadReference(namespace: workload.id.namespace, kind: workload.ref.kind, name: workload.id.name)
            }
        }
        return map
    }

    static func readReport(files: [String], maximumLineLength: Int, progress: ProgressSink?) -> AuditEvidenceReport {
        var reader = AuditLogReader(options: .init(maximumLineLength: maximumLineLength, progress: progress))
        for file in files { reader.read(path: file) }
        return reader.report()
    }
}
