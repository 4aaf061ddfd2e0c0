import ServiceLifecycle

/// A service that reports when it starts and when it returns, so a replica that does not stop can
/// say which of its services is still running.
struct TrackedService: Service {
    let name: String
    let inner: any Service
    let running: @Sendable (_ name: String, _ isRunning: Bool) -> Void

    func run() async throws {
        running(name, true)
        defer { running(name, false) }
        try await inner.run()
    }
}
