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
            constant memory and lists every pod whose requests carried the \
            'authentication.k8s.io/stale-token' annotation (token age = seconds after warning + 3607 s), \
            plus invalidated legacy Secret tokens still in use. Malformed lines, unknown versions and \
            truncated gzip files are counted in the summary, never fatal. Exit status 1 only when no \
            file could be read.
            """)

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case table
        case json
    }

    @Argument(help: "Audit log files (plain or .gz); '-' for standard input.")
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

    @OptionGroup var cluster: ClusterOptions

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one audit log file") }
        guard maxLineLength > 0 else { throw ValidationError("--max-line-length must be positive") }
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
            print(try AuditReportRenderer.json(report), terminator: "")
        }
        if report.summary.files > 0, report.summary.unreadableFiles == report.summary.files {
            throw ExitCode(1)
        }
    }

    /// Pod uid → owning workload, resolved the same way the controller resolves owners.
    static func workloadsByPod(_ cluster: ClusterOptions) async throws -> [String: WorkloadReference] {
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
