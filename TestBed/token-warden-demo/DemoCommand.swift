import ArgumentParser
import Demo
#if canImport(Glibc)
import Glibc
#endif

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
        // The simulated cluster's and servers' threads are still running: exit(3) would run the
        // process's exit handlers — OpenSSL's clean-up among them — under their feet (a crash
        // in libcrypto, and the buffered summary lost with it). Flush what was said, then leave
        // without them.
        #if canImport(Glibc)
        fflush(nil)  // every output stream
        _exit(summary.complete ? 0 : 1)
        #else
        if !summary.complete { throw ExitCode(1) }
        #endif
    }
}
