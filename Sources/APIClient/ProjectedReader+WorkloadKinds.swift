import KubeModel

// The table of what `ProjectedReader` reads of each workload kind's spec and status: the fields
// of the models in KubeModel, one `fields` switch per shape. `FastDecoderTests` decodes a
// document that sets every field of every kind with both decoders, so a field added to a model
// and not here fails it.

extension ReplicaSpec: ProjectedValue {
    static func read(_ reader: inout ProjectedReader) throws -> ReplicaSpec {
        var spec = ReplicaSpec()
        try reader.fields { reader, k in
            guard reader.key(k, is: "replicas") else { return false }
            spec.replicas = try reader.optionalInt()
            return true
        }
        return spec
    }
}

extension ReplicaStatus: ProjectedValue {
    static func read(_ reader: inout ProjectedReader) throws -> ReplicaStatus {
        var status = ReplicaStatus()
        try reader.fields { reader, k in
            if reader.key(k, is: "observedGeneration") { status.observedGeneration = try reader.optionalInt64() }
            else if reader.key(k, is: "replicas") { status.replicas = try reader.optionalInt() }
            else if reader.key(k, is: "readyReplicas") { status.readyReplicas = try reader.optionalInt() }
            else if reader.key(k, is: "availableReplicas") { status.availableReplicas = try reader.optionalInt() }
            else { return false }
            return true
        }
        return status
    }
}

extension DeploymentModel.Spec: ProjectedValue {
    static func read(_ reader: inout ProjectedReader) throws -> Self {
        var spec = Self()
        try reader.fields { reader, k in
            if reader.key(k, is: "replicas") { spec.replicas = try reader.optionalInt() }
            else if reader.key(k, is: "paused") { spec.paused = try reader.optionalBool() }
            else if reader.key(k, is: "strategy") { spec.strategy = try reader.optional(UpdateStrategy.self) }
            else if reader.key(k, is: "template") { spec.template = try reader.optional(PodTemplate.self) }
            else { return false }
            return true
        }
        return spec
    }
}

extension DeploymentModel.Status: ProjectedValue {
    static func read(_ reader: inout ProjectedReader) throws -> Self {
        var status = Self()
        try reader.fields { reader, k in
            if reader.key(k, is: "observedGeneration") { status.observedGeneration = try reader.optionalInt64() }
            else if reader.key(k, is: "replicas") { status.replicas = try reader.optionalInt() }
            else if reader.key(k, is: "updatedReplicas") { status.updatedReplicas = try reader.optionalInt() }
            else if reader.key(k, is: "readyReplicas") { status.readyReplicas = try reader.optionalInt() }
            else if reader.key(k, is: "availableReplicas") { status.availableReplicas = try reader.optionalInt() }
            else if reader.key(k, is: "unavailableReplicas") { status.unavailableReplicas = try reader.optionalInt() }
            else if reader.key(k, is: "conditions") { status.conditions = try reader.optionalArray { try WorkloadCondition.read(&$0) } }
            else { return false }
            return true
        }
        return status
    }
}

extension StatefulSetModel.Spec: ProjectedValue {
    static func read(_ reader: inout ProjectedReader) throws -> Self {
        var spec = Self()
        try reader.fields { reader, k in
            if reader.key(k, is: "replicas") { spec.replicas = try reader.optionalInt() }
            else if reader.key(k, is: "updateStrategy") { spec.updateStrategy = try reader.optional(UpdateStrategy.self) }
            else if reader.key(k, is: "template") { spec.template = try reader.optional(PodTemplate.self) }
            else { return false }
            return true
        }
        return spec
    }
}

extension StatefulSetModel.Status: ProjectedValue {
    static func read(_ reader: inout ProjectedReader) throws -> Self {
        var status = Self()
        try reader.fields { reader, k in
            if reader.key(k, is: "observedGeneration") { status.observedGeneration = try reader.optionalInt64() }
            else if reader.key(k, is: "replicas") { status.replicas = try reader.optionalInt() }
            else if reader.key(k, is: "readyReplicas") { status.readyReplicas = try reader.optionalInt() }
            else if reader.key(k, is: "currentReplicas") { status.currentReplicas = try reader.optionalInt() }
            else if reader.key(k, is: "updatedReplicas") { status.updatedReplicas = try reader.optionalInt() }
            else if reader.key(k, is: "availableReplicas") { status.availableReplicas = try reader.optionalInt() }
            else if reader.key(k, is: "currentRevision") { status.currentRevision = try reader.optionalShared() }
            else if reader.key(k, is: "updateRevision") { status.updateRevision = try reader.optionalShared() }
            else { return false }
            return true
        }
        return status
    }
}

extension DaemonSetModel.Spec: ProjectedValue {
    static func read(_ reader: inout ProjectedReader) throws -> Self {
        var spec = Self()
        try reader.fields { reader, k in
            if reader.key(k, is: "updateStrategy") { spec.updateStrategy = try reader.optional(UpdateStrategy.self) }
            else if reader.key(k, is: "template") { spec.template = try reader.optional(PodTemplate.self) }
            else { return false }
            return true
        }
        return spec
    }
}

extension DaemonSetModel.Status: ProjectedValue {
    static func read(_ reader: inout ProjectedReader) throws -> Self {
        var status = Self()
        try reader.fields { reader, k in
            if reader.key(k, is: "observedGeneration") { status.observedGeneration = try reader.optionalInt64() }
            else if reader.key(k, is: "desiredNumberScheduled") { status.desiredNumberScheduled = try reader.optionalInt() }
            else if reader.key(k, is: "currentNumberScheduled") { status.currentNumberScheduled = try reader.optionalInt() }
            else if reader.key(k, is: "updatedNumberScheduled") { status.updatedNumberScheduled = try reader.optionalInt() }
            else if reader.key(k, is: "numberReady") { status.numberReady = try reader.optionalInt() }
            else if reader.key(k, is: "numberAvailable") { status.numberAvailable = try reader.optionalInt() }
            else if reader.key(k, is: "numberUnavailable") { status.numberUnavailable = try reader.optionalInt() }
            else { return false }
            return true
        }
        return status
    }
}

extension ArgoRolloutModel.Spec: ProjectedValue {
    static func read(_ reader: inout ProjectedReader) throws -> Self {
        var spec = Self()
        try reader.fields { reader, k in
            if reader.key(k, is: "replicas") { spec.replicas = try reader.optionalInt() }
            else if reader.key(k, is: "paused") { spec.paused = try reader.optionalBool() }
            else if reader.key(k, is: "restartAt") { spec.restartAt = try reader.optionalString() }
            else if reader.key(k, is: "template") { spec.template = try reader.optional(PodTemplate.self) }
            else { return false }
            return true
        }
        return spec
    }
}

extension ArgoRolloutModel.Status: ProjectedValue {
    static func read(_ reader: inout ProjectedReader) throws -> Self {
        var status = Self()
        try reader.fields { reader, k in
            if reader.key(k, is: "restartedAt") { status.restartedAt = try reader.optionalString() }
            else if reader.key(k, is: "phase") { status.phase = try reader.optionalShared() }
            else if reader.key(k, is: "message") { status.message = try reader.optionalString() }
            else if reader.key(k, is: "currentPodHash") { status.currentPodHash = try reader.optionalShared() }
            else if reader.key(k, is: "stableRS") { status.stableRS = try reader.optionalShared() }
            else if reader.key(k, is: "replicas") { status.replicas = try reader.optionalInt() }
            else if reader.key(k, is: "updatedReplicas") { status.updatedReplicas = try reader.optionalInt() }
            else if reader.key(k, is: "readyReplicas") { status.readyReplicas = try reader.optionalInt() }
            else if reader.key(k, is: "availableReplicas") { status.availableReplicas = try reader.optionalInt() }
            else { return false }
            return true
        }
        return status
    }
}

extension PodTemplate: ProjectedValue {
    /// Only `metadata.annotations`: the template's pod spec is skipped unread.
    static func read(_ reader: inout ProjectedReader) throws -> PodTemplate {
        var template = PodTemplate()
        try reader.fields { reader, k in
            guard reader.key(k, is: "metadata") else { return false }
            template.metadata = try reader.optional(PodTemplateMetadata.self)
            return true
        }
        return template
    }
}

extension PodTemplateMetadata: ProjectedValue {
    static func read(_ reader: inout ProjectedReader) throws -> PodTemplateMetadata {
        var metadata = PodTemplateMetadata()
        try reader.fields { reader, k in
            guard reader.key(k, is: "annotations") else { return false }
            metadata.annotations = try reader.optionalStringMap(sharedValues: false)
            return true
        }
        return metadata
    }
}

extension UpdateStrategy: ProjectedValue {
    static func read(_ reader: inout ProjectedReader) throws -> UpdateStrategy {
        var strategy = UpdateStrategy()
        try reader.fields { reader, k in
            guard reader.key(k, is: "type") else { return false }
            strategy.type = try reader.optionalShared()
            return true
        }
        return strategy
    }
}

extension WorkloadCondition: ProjectedValue {
    static func read(_ reader: inout ProjectedReader) throws -> WorkloadCondition {
        var type: String?, status: String?, reason: String?, message: String?
        try reader.fields { reader, k in
            if reader.key(k, is: "type") { type = try reader.shared() }
            else if reader.key(k, is: "status") { status = try reader.shared() }
            else if reader.key(k, is: "reason") { reason = try reader.optionalShared() }
            else if reader.key(k, is: "message") { message = try reader.optionalString() }
            else { return false }
            return true
        }
        guard let type, let status else { throw reader.missing("conditions[].type/status") }
        return WorkloadCondition(type: type, status: status, reason: reason, message: message)
    }
}
