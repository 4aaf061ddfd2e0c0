import ArgumentParser
import Demo

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the controller against a simulated cluster in this process and show what it does.",
        discussion: """
            No cluster needed. A simulated API server (HTTPS, loopback) is seeded with workloads whose \
            tokens are fine, at risk, expired or beyond help; token-warden watches it through libcurl like a \
            real cluster, restarts what needs it (rollouts, pod-by-pod eviction under a PodDisruptionBudget), \
            defers what is outside its maintenance window and records every decision as a Kubernetes Event.
            """)

    @Option(help: "Stop after this many seconds even if not every restart finished.")
    var timeLimit: Double = 50

    func run() async throws {
        let summary = try await DemoRunner(timeLimitSeconds: timeLimit).run()
        if !summary.complete { throw ExitCode(1) }
    }
}
