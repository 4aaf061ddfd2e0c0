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
            workloads found (so cron and CI can alert), 2 error. With several --context values or \
            --all-contexts it reports a fleet: a CLUSTER column, a summary per cluster; an unreachable \
            cluster is reported and the exit status is 2 only when no cluster could be read.
            """)

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case table, wide, json
    }

    @OptionGroup var cluster: ClusterConnectionOptions
    @OptionGroup var policy: PolicyOptions

    @Option(name: [.short, .long], help: "Only this namespace (default: the context's namespace).")
    var namespace: String?

    @Flag(name: [.customShort("A"), .long], help: "Every namespace.")
    var allNamespaces = false

    @Option(name: [.short, .long], help: "Output format: table, wide or json.")
    var output: OutputFormat = .table

    @Flag(help: "Also list workloads that hold no API token (out of scope).")
    var showAll = false

    @Flag(help: "Report on every context of the kubeconfig (a fleet; adds a CLUSTER column).")
    var allContexts = false

    @OptionGroup var mode: ControllerModeOption

    @OptionGroup var lease: LeaseLocationOptions

    func run() async throws {
        if allContexts || cluster.contexts.count > 1 {
            try await runFleet()
            return
        }
        do {
            let config = try cluster.load()
            // The report itself never writes; the mode only says which controller's plan it shows.
            let defaults = try policy.defaults(mode: mode.parsed())
            let scope: String? = allNamespaces ? nil : (namespace ?? config.namespace)
            let reading = try await ClusterReading.read(config: config, defaults: defaults, namespace: scope, lease: lease,
                                                        lifetimeFromLease: policy.detectsTokenLifetime, progress: Self.progressPrinter())
            Self.clearProgress()
            for note in reading.notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
            let renderer = ReportRenderer(assessment: reading.assessment, plan: reading.plan, options: ReportOptions(
                format: reportFormat, includeOutOfScope: showAll, clusterTokenLifetime: reading.clusterTokenLifetime))
            try StandardOutput.stream { renderer.write($0) }  // as it is made: JSON workload by workload
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

    /// Several clusters: every one is read; an unreachable one is reported (stderr and the
    /// summary) and exits 2 only when none could be read.
    func runFleet() async throws {
        let contexts: [String]
        do {
            contexts = allContexts ? try cluster.allContexts() : cluster.contexts
            guard !contexts.isEmpty else { throw ValidationError("--all-contexts: the kubeconfig defines no context") }
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ReportExitCode.error)
        }
        let defaults = try policy.defaults(mode: mode.parsed())
        let fleet = await FleetReading(cluster: cluster, defaults: defaults, namespace: namespace, allNamespaces: allNamespaces,
                                       lease: lease, lifetimeFromLease: policy.detectsTokenLifetime,
                                       options: ReportOptions(format: reportFormat, includeOutOfScope: showAll)).read(contexts: contexts)
        for member in fleet.members {
            if case .failure(let error) = member.outcome {
                FileHandle.standardError.write(Data("error: context \(member.context): \(error)\n".utf8))
            }
        }
        try StandardOutput.stream { fleet.write($0) }  // JSON cluster by cluster, workload by workload
        throw ExitCode(fleet.exitCode)
    }

    var reportFormat: ReportOptions.Format {
        switch output {
        case .table: .table
        case .wide: .wide
        case .json: .json
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
