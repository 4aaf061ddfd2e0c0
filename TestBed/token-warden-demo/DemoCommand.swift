import ArgumentParser
import Demo

/// `token-warden-demo` (and `token-warden demo`, which hands on to it): the controller against a
/// simulated cluster in one process. An executable of its own, so the product's binary — and the
/// image every cluster runs — does not carry the simulated API server.
@main
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token-warden-demo",
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
