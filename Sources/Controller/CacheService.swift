import ServiceLifecycle

/// Keeps the watch caches filled (one reflector per kind) until graceful shutdown.
public struct CacheService: Service {
    let runtime: ControllerRuntime

    public func run() async throws {
        let runtime = self.runtime
        await cancelWhenGracefulShutdown {
            await runtime.caches.run(
                client: runtime.client, namespaces: runtime.configuration.namespaces,
                initialSync: runtime.configuration.initialSync, observer: runtime.bridge, logger: runtime.logger)
        }
    }
}
