import KubeModel

extension ProjectedReader {
    // MARK: spec

    mutating func podSpec() throws -> PodSpec {
        var spec = PodSpec()
        var containers: [Container]?
        var first = true
        while let k = try r.nextKey(&first) {
            if key(k, is: "containers") { containers = try optionalArray { try $0.container() } }
            else if key(k, is: "volumes") { spec.volumes = try optionalArray { try $0.volume() } }
            else if key(k, is: "serviceAccountName") { spec.serviceAccountName = try optionalShared() }
            else if key(k, is: "nodeName") { spec.nodeName = try optionalShared() }
            else if key(k, is: "automountServiceAccountToken") { spec.automountServiceAccountToken = try optionalBool() }
            else if key(k, is: "initContainers") { spec.initContainers = try optionalArray { try $0.container() } }
            else if key(k, is: "ephemeralContainers") { spec.ephemeralContainers = try optionalArray { try $0.container() } }
            else { try r.skipValue() }
        }
        spec.containers = containers ?? []
        return spec
    }

    mutating func container() throws -> Container {
        var name: String?
        var restartPolicy: String?
        var mounts: [VolumeMount]?
        var first = true
        while let k = try r.nextKey(&first) {
            if key(k, is: "name") { name = try shared() }
            else if key(k, is: "volumeMounts") { mounts = try optionalArray { try $0.volumeMount() } }
            else if key(k, is: "restartPolicy") { restartPolicy = try optionalShared() }
            else { try r.skipValue() }
        }
        guard let name else { throw missing("containers[].name") }
        return Container(name: name, restartPolicy: restartPolicy, volumeMounts: mounts)
    }

    mutating func volumeMount() throws -> VolumeMount {
        var name: String?, mountPath: String?
        var first = true
        while let k = try r.nextKey(&first) {
            if key(k, is: "name") { name = try string() }  // mostly unique per pod (kube-api-access-xxxxx): not interned
            else if key(k, is: "mountPath") { mountPath = try shared() }
            else { try r.skipValue() }
        }
        guard let name, let mountPath else { throw missing("volumeMounts[].name/mountPath") }
        return VolumeMount(name: name, mountPath: mountPath)
    }

    mutating func volume() throws -> Volume {
        var name: String?
        var volume = Volume(name: "")
        var first = true
        while let k = try r.nextKey(&first) {
            if key(k, is: "name") { name = try string() }  // mostly unique per pod: not interned
            else if key(k, is: "projected") { volume.projected = try optionalObject { try $0.projectedSource() } }
            else if key(k, is: "secret") { volume.secret = try optionalObject { try $0.secretSource() } }
            else { try r.skipValue() }
        }
        guard let name else { throw missing("volumes[].name") }
        volume.name = name
        return volume
    }

    mutating func projectedSource() throws -> ProjectedVolumeSource {
        var source = ProjectedVolumeSource()
        var first = true
        while let k = try r.nextKey(&first) {
            if key(k, is: "sources") { source.sources = try optionalArray { try $0.projection() } }
            else { try r.skipValue() }
        }
        return source
    }

    mutating func projection() throws -> VolumeProjection {
        var projection = VolumeProjection()
        var first = true
        while let k = try r.nextKey(&first) {
            if key(k, is: "serviceAccountToken") { projection.serviceAccountToken = try optionalObject { try $0.tokenProjection() } }
            else { try r.skipValue() }
        }
        return projection
    }

    mutating func tokenProjection() throws -> ServiceAccountTokenProjection {
        var audience: String?, expiration: Int64?, path: String?
        var first = true
        while let k = try r.nextKey(&first) {
            if key(k, is: "audience") { audience = try optionalShared() }
            else if key(k, is: "expirationSeconds") { expiration = try optionalInt64() }
            else if key(k, is: "path") { path = try shared() }
            else { try r.skipValue() }
        }
        guard let path else { throw missing("serviceAccountToken.path") }
        return ServiceAccountTokenProjection(audience: audience, expirationSeconds: expiration, path: path)
    }

    mutating func secretSource() throws -> SecretVolumeSource {
        var source = SecretVolumeSource()
        var first = true
        while let k = try r.nextKey(&first) {
            if key(k, is: "secretName") { source.secretName = try optionalShared() }
            else { try r.skipValue() }
        }
        return source
    }

    // MARK: status

    mutating func podStatus() throws -> PodStatus {
        var status = PodStatus()
        var first = true
        while let k = try r.nextKey(&first) {
            if key(k, is: "phase") { status.phase = try optionalShared() }
            else if key(k, is: "startTime") { status.startTime = try optionalTimestamp() }
            else if key(k, is: "conditions") { status.conditions = try optionalArray { try $0.condition() } }
            else if key(k, is: "containerStatuses") { status.containerStatuses = try optionalArray { try $0.containerStatus() } }
            else if key(k, is: "initContainerStatuses") { status.initContainerStatuses = try optionalArray { try $0.containerStatus() } }
            else if key(k, is: "ephemeralContainerStatuses") {
                status.ephemeralContainerStatuses = try optionalArray { try $0.containerStatus() }
            } else { try r.skipValue() }
        }
        return status
    }

    mutating func condition() throws -> PodCondition {
        var type: String?, status: String?
        var first = true
        while let k = try r.nextKey(&first) {
            if key(k, is: "type") { type = try shared() }
            else if key(k, is: "status") { status = try shared() }
            else { try r.skipValue() }
        }
        guard let type, let status else { throw missing("conditions[].type/status") }
        return PodCondition(type: type, status: status)
    }

    mutating func containerStatus() throws -> ContainerStatus {
        var name: String?
        var cs = ContainerStatus(name: "")
        var first = true
        while let k = try r.nextKey(&first) {
            if key(k, is: "name") { name = try shared() }
            else if key(k, is: "ready") { cs.ready = try optionalBool() }
            else if key(k, is: "restartCount") { cs.restartCount = try optionalInt() }
            else if key(k, is: "state") { cs.state = try optionalObject { try $0.containerState() } }
            else { try r.skipValue() }
        }
        guard let name else { throw missing("containerStatuses[].name") }
        cs.name = name
        return cs
    }

    mutating func containerState() throws -> ContainerState {
        var state = ContainerState()
        var first = true
        while let k = try r.nextKey(&first) {
            if key(k, is: "running") {
                state.running = try optionalObject { p in
                    var running = ContainerStateRunning()
                    var first = true
                    while let k = try p.r.nextKey(&first) {
                        if p.key(k, is: "startedAt") { running.startedAt = try p.optionalTimestamp() }
                        else { try p.r.skipValue() }
                    }
                    return running
                }
            } else { try r.skipValue() }
        }
        return state
    }
}
