import Controller
import ArgumentParser

@main
struct TokenWarden: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token-warden",
        abstract: "Restarts Kubernetes workloads before the ServiceAccount tokens their processes hold expire.",
        discussion: """
            Old Kubernetes clients read their projected ServiceAccount token once; the API server accepts \
            it for a grace period (365 days upstream, 90 on EKS) and then answers 401. token-warden \
            estimates how old every running container's token is and rolls its workload in time — \
            throttled, inside maintenance windows, PodDisruptionBudget-aware.
            """,
        version: BuildInfo.version,
        subcommands: [RunCommand.self, ReportCommand.self, ExplainCommand.self, AuditCommand.self, DemoHandOff.self, VersionCommand.self]
    )

    static func main() async {
        ProcessMemory.limitMallocArenas()
        ProcessMemory.keepLargeBuffersOffTheHeap()
        await main(nil)
    }
}
