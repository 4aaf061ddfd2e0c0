import ServiceLifecycle

/// Writes webhook evidence onto the pods until shutdown (see `PodEvidenceRecorder`).
public struct PodEvidenceService: Service {
    let recorder: PodEvidenceRecorder

    public func run() async throws {
        await cancelWhenGracefulShutdown { await recorder.run() }
    }
}
