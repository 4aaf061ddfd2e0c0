import Evidence
import ServiceLifecycle

/// The audit webhook's listener, with its TLS files checked for changes every
/// `reloadIntervalSeconds`; stopped on graceful shutdown.
public struct AuditWebhookService: Service {
    let server: AuditWebhookServer

    public func run() async throws {
        try server.start()
        let interval = Duration.milliseconds(Int64(max(0.05, server.settings.reloadIntervalSeconds) * 1000))
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return  // cancelled: shutting down
                }
                server.reloadIfChanged()
            }
        }
        server.stop()
    }
}
