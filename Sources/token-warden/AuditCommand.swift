import ArgumentParser
import Foundation
import Observe

/// `token-warden audit FILE…`: which pods presented stale ServiceAccount tokens, from the API
/// server's audit log (JSON lines, `audit.k8s.io/v1` Events; plain or gzip; `-` for stdin).
struct AuditCommand: ParsableCommand {
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

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one audit log file") }
        guard maxLineLength > 0 else { throw ValidationError("--max-line-length must be positive") }
    }

    func run() throws {
        let showProgress = progress ?? (isatty(2) == 1)
        var report = Self.readReport(
            files: files, maximumLineLength: maxLineLength, progress: showProgress ? ProgressSink() : nil)
        // Joining pods to their workloads needs a cluster: a caller with an API client passes
        // `[podUID: WorkloadReference]` to `report.joinWorkloads(_:)` here.
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

    static func readReport(files: [String], maximumLineLength: Int, progress: ProgressSink?) -> AuditEvidenceReport {
        var reader = AuditLogReader(options: .init(maximumLineLength: maximumLineLength, progress: progress))
        for file in files { reader.read(path: file) }
        return reader.report()
    }
}
