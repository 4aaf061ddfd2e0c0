/// An Argo Rollout (`argoproj.io/v1alpha1`, a CRD): only what a restart reads and writes.
/// Argo restarts its pods itself when `spec.restartAt` passes: one pod at a time, oldest
/// ReplicaSet last, until every pod is newer; then it sets `status.restartedAt` to the same instant.
public typealias ArgoRollout = WorkloadObject<ArgoRolloutModel>

public enum ArgoRolloutModel: WorkloadModel {
    public static var resource: ResourceDescriptor { .argoRollouts }

    public struct Spec: PodTemplateSpec {
        public var replicas: Int?
        public var paused: Bool?
        /// RFC 3339: pods created before it are restarted (`kubectl argo rollouts restart`).
        public var restartAt: String?
        public var template: PodTemplate?

        public init() {}

        public init(replicas: Int? = nil, paused: Bool? = nil, restartAt: String? = nil, template: PodTemplate? = nil) {
            self.replicas = replicas
            self.paused = paused
            self.restartAt = restartAt
            self.template = template
        }
    }

    public struct Status: Codable, Hashable, Sendable {
        /// The `spec.restartAt` Argo last finished (or cancelled, when the template changed meanwhile).
        public var restartedAt: String?
        /// `Healthy`, `Progressing`, `Paused`, `Degraded`.
        public var phase: String?
        public var message: String?
        /// The pod-template-hash of the desired template, and of the stable ReplicaSet.
        public var currentPodHash: String?
        public var stableRS: String?
        public var replicas: Int?
        public var updatedReplicas: Int?
        public var readyReplicas: Int?
        public var availableReplicas: Int?

        public init(
            restartedAt: String? = nil, phase: String? = nil, message: String? = nil, currentPodHash: String? = nil,
            stableRS: String? = nil, replicas: Int? = nil, updatedReplicas: Int? = nil, readyReplicas: Int? = nil,
            availableReplicas: Int? = nil
        ) {
            self.restartedAt = restartedAt
            self.phase = phase
            self.message = message
            self.currentPodHash = currentPodHash
            self.stableRS = stableRS
            self.replicas = replicas
            self.updatedReplicas = updatedReplicas
            self.readyReplicas = readyReplicas
            self.availableReplicas = availableReplicas
        }
    }
}
