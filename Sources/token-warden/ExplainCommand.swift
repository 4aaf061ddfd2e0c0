import APIClient
import ArgumentParser
import Assess
import Foundation
import Plan
import Report

struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show, step by step, how one pod's or workload's token deadline and restart were worked out.",
        discussion: """
            KIND/NAME: pod/NAME, deployment/NAME (deploy), statefulset (sts), daemonset (ds), \
            replicationcontroller (rc), replicaset (rs), job, cronjob (cj). The same reading, model \
            and plan as `report` (and the controller): each container's start and where it came from, \
            the refresh lag, the issue time, the lifetime and where the policy came from, the evidence, \
            the deadline, the classification, and what the controller will do and when. Read-only. \
            Exit status: 0 nothing needs a restart, 1 it does, 2 error or not found.
            """)

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var cluster: ClusterConnectionOptions
    @OptionGroup var policy: PolicyOptions
    @OptionGroup var limits: PlanLimitOptions

    @Argument(help: "What to explain: KIND/NAME, e.g. pod/web-0 or deployment/web.")
    var object: String

    @Option(name: [.short, .long], help: "Its namespace (default: the context's namespace).")
    var namespace: String?

    @Option(name: [.short, .long], help: "Output format: text or json.")
    var output: OutputFormat = .text

    @OptionGroup var mode: ControllerModeOption

    @OptionGroup var lease: LeaseLocationOptions

    func run() async throws {
        do {
            let config = try cluster.load()
            let defaults = try policy.defaults(mode: mode.parsed())
            let scope = namespace ?? config.namespace
            let target: ExplainTarget
            switch ExplainTarget.parse(object, namespace: scope) {
            case .success(let parsed): target = parsed
            case .failure(let error): throw ValidationError("\(error)")
            }
            let reading = try await Self.readForPlanning(config: config, defaults: defaults, namespace: scope,
                                                         planner: try limits.plannerConfig(),
                                                         lease: lease, lifetimeFromLease: policy.detectsTokenLifetime)
            ReportCommand.clearProgress()
            for note in reading.notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
            guard let (workload, pod) = target.find(in: reading.assessment) else {
                FileHandle.standardError.write(Data("""
                    error: \(target) not found among running pods and their workloads \
                    (it does not exist, has no pods, or no pod of it holds an API token)\n
                    """.utf8))
                throw ExitCode(ReportExitCode.error)
            }
            let explainer = ExplainRenderer(target: target, workload: workload, pod: pod, plan: reading.plan,
                                            planner: reading.planner, now: reading.now)
            print(output == .json ? explainer.json() : explainer.text(), terminator: "")
            let needsRestart = pod.map(\.classification.needsRestart) ?? workload.classification.needsRestart
            throw ExitCode(needsRestart ? ReportExitCode.atRisk : ReportExitCode.clean)
        } catch let exit as ExitCode {
            throw exit
        } catch let error as ValidationError {
            throw error
        } catch {
            ReportCommand.clearProgress()
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ReportExitCode.error)
        }
    }

    /// The plan's limits are cluster-wide, so what the controller will do with one object depends on
    /// every other workload: the reading covers the whole cluster, as the controller's does. Who may
    /// list only their namespace gets the plan within it, and is told so.
    static func readForPlanning(config: ClusterConfig, defaults: PolicyDefaults, namespace: String,
                                planner: PlannerConfig, lease: LeaseLocationOptions?, lifetimeFromLease: Bool) async throws -> ClusterReading {
        do {
            return try await ClusterReading.read(config: config, defaults: defaults, namespace: nil,
                                                 planner: planner, lease: lease, lifetimeFromLease: lifetimeFromLease,
                                                 progress: ReportCommand.progressPrinter())
        } catch let error as APIError where error.isForbidden {
            ReportCommand.clearProgress()
            FileHandle.standardError.write(Data("""
                note: cannot read every namespace (\(error)); planned within namespace \(namespace) only, \
                so the cluster-wide limit may be taken by workloads this reading cannot see\n
                """.utf8))
            return try await ClusterReading.read(config: config, defaults: defaults, namespace: namespace,
                                                 planner: planner, lease: lease, lifetimeFromLease: lifetimeFromLease,
                                                 progress: ReportCommand.progressPrinter())
        }
    }
}
