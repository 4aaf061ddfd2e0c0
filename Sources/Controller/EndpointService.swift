import Observe
import ServiceLifecycle

/// /metrics, /healthz and /readyz, stopped on graceful shutdown.
public struct EndpointService: Service {
    let server: ObservabilityServer

    public func run() async throws {
        try server.start()
        do {
            try await gracefulShutdown()
        } catch {
            // Cancelled instead of shut down gracefully: stop all the same.
        }
        server.stop()
    }
}
