import APIClient
import ArgumentParser
import Assess
import Controller
import Foundation
import KubeModel
import Logging
import Plan
import Report

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "List workloads whose processes hold ServiceAccount tokens that expire soon.",
        discussion: """
            One-shot and read-only. Exit status: 0 nothing at risk, 1 at-risk, expired or invalidated \
            workloads found (so cron and CI can alert), 2 error.
            """)

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case table, wide, json
    }

    @OptionGroup var cluster: ClusterOptions
    @OptionGroup var policy: PolicyOptions

    @Option(name: [.short, .long], help: "Only this namespace (default: the context's namespace).")
    var namespace: String?

    @Flag(name: [.customShort("A"), .long], help: "Every namespace.")
    var allNamespaces = false

    @Option(name: [.short, .long], help: "Output format: table, wide or json.")
    var output: OutputFormat = .table

    @Flag(help: "Also list workloads that hold no API token (out of scope).")
    var showAll = false

    func run() async throws {
        do {
            let config = try cluster.load()
            let defaults = try policy.defaults(mode: .report)
            let client = KubeClient(config: config, logger: Logger(label: "token-warden.report"), userAgent: BuildInfo.userAgent)
            let scope: String? = allNamespaces ? nil : (namespace ?? config.namespace)
            let snapshot = try await SnapshotFetcher(client: client, namespace: scope, progress: Self.progressPrinter()).fetch()
            Self.clearProgress()
            // Deadlines are judged on the API server's clock, not this machine's.
            let now = Timestamp(seconds: Int64(Date().timeIntervalSince1970) + client.serverClockOffsetSeconds)
            let assessment = Assessor(defaults: defaults).assess(snapshot, now: now)
            let plan = Planner(config: PlannerConfig()).plan(assessment, now: now, inFlight: [:])
            let format: ReportOptions.Format = switch output {
                case .table: .table
                case .wide: .wide
                case .json: .json
            }
            let renderer = ReportRenderer(assessment: assessment, plan: plan, options: ReportOptions(format: format, includeOutOfScope: showAll))
            print(renderer.render(), terminator: "")
            throw ExitCode(renderer.exitCode)
        } catch let exit as ExitCode {
            throw exit
        } catch let error as ValidationError {
            throw error
        } catch {
            Self.clearProgress()
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ReportExitCode.error)
        }
    }

    /// Progress lines on a terminal only; scripts reading stderr get nothing but errors.
    static func progressPrinter() -> (@Sendable (String) -> Void)? {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        return { line in FileHandle.standardError.write(Data("\r\u{1B}[K\(line)…".utf8)) }
    }

    static func clearProgress() {
        if isatty(STDERR_FILENO) == 1 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
