/// The defaults the API server fills in when it decodes an object (k8s.io/kubernetes
/// pkg/apis/apps/v1/defaults.go, core/v1/defaults.go, batch/v1/defaults.go), applied on create
/// and update so clients read what a real server would return — e.g. `kubectl rollout status`
/// needs a StatefulSet's or DaemonSet's `updateStrategy` to be there.
public enum APIDefaults {
    public static func apply(_ object: inout JSONValue, kind: String) {
        switch kind {
        case "Pod":
            object.modifyObject { $0.modify("spec", default: [:]) { spec in defaultPodSpec(&spec) } }
        case "Deployment":
            modifySpec(&object) { spec in
                setIfMissing(&spec, "replicas", 1)
                if spec["strategy"]?["type"] == nil { spec.set("RollingUpdate", at: ["strategy", "type"]) }
                if spec["strategy"]?["type"] == "RollingUpdate" {
                    var rolling = spec.value(at: ["strategy", "rollingUpdate"]) ?? [:]
                    setIfMissing(&rolling, "maxUnavailable", "25%")
                    setIfMissing(&rolling, "maxSurge", "25%")
                    spec.set(rolling, at: ["strategy", "rollingUpdate"])
                }
                setIfMissing(&spec, "revisionHistoryLimit", 10)
                setIfMissing(&spec, "progressDeadlineSeconds", 600)
                defaultTemplate(&spec)
            }
        case "StatefulSet":
            modifySpec(&object) { spec in
                setIfMissing(&spec, "replicas", 1)
                setIfMissing(&spec, "podManagementPolicy", "OrderedReady")
                if spec["updateStrategy"]?["type"] == nil { spec.set("RollingUpdate", at: ["updateStrategy", "type"]) }
                if spec["updateStrategy"]?["type"] == "RollingUpdate", spec.value(at: ["updateStrategy", "rollingUpdate", "partition"]) == nil {
                    spec.set(0, at: ["updateStrategy", "rollingUpdate", "partition"])
                }
                setIfMissing(&spec, "revisionHistoryLimit", 10)
                setIfMissing(&spec, "persistentVolumeClaimRetentionPolicy", ["whenDeleted": "Retain", "whenScaled": "Retain"])
                defaultTemplate(&spec)
            }
        case "DaemonSet":
            modifySpec(&object) { spec in
                if spec["updateStrategy"]?["type"] == nil { spec.set("RollingUpdate", at: ["updateStrategy", "type"]) }
                if spec["updateStrategy"]?["type"] == "RollingUpdate" {
                    var rolling = spec.value(at: ["updateStrategy", "rollingUpdate"]) ?? [:]
                    setIfMissing(&rolling, "maxUnavailable", 1)
                    setIfMissing(&rolling, "maxSurge", 0)
                    spec.set(rolling, at: ["updateStrategy", "rollingUpdate"])
                }
                setIfMissing(&spec, "revisionHistoryLimit", 10)
                defaultTemplate(&spec)
            }
        case "ReplicaSet":
            modifySpec(&object) { spec in
                setIfMissing(&spec, "replicas", 1)
                defaultTemplate(&spec)
            }
        case "ReplicationController":
            let templateLabels = object.value(at: ["spec", "template", "metadata", "labels"])
            modifySpec(&object) { spec in
                setIfMissing(&spec, "replicas", 1)
                if spec["selector"] == nil, let templateLabels { spec["selector"] = templateLabels }
                defaultTemplate(&spec)
            }
            if object.value(at: ["metadata", "labels"]) == nil, let templateLabels { object.set(templateLabels, at: ["metadata", "labels"]) }
        case "Job":
            modifySpec(&object) { spec in
                setIfMissing(&spec, "parallelism", 1)
                setIfMissing(&spec, "completions", 1)
                setIfMissing(&spec, "backoffLimit", 6)
                setIfMissing(&spec, "completionMode", "NonIndexed")
                setIfMissing(&spec, "suspend", false)
                setIfMissing(&spec, "podReplacementPolicy", "TerminatingOrFailed")
                defaultTemplate(&spec)
            }
        default:
            break
        }
    }

    private static func modifySpec(_ object: inout JSONValue, _ body: (inout JSONValue) -> Void) {
        object.modifyObject { $0.modify("spec", default: [:], body) }
    }

    private static func setIfMissing(_ object: inout JSONValue, _ key: String, _ value: JSONValue) {
        if object[key] == nil || object[key]?.isNull == true { object[key] = value }
    }

    private static func defaultTemplate(_ spec: inout JSONValue) {
        guard spec["template"] != nil else { return }
        spec.modifyObject { object in
            object.modify("template") { template in
                template.modifyObject { $0.modify("spec", default: [:]) { podSpec in defaultPodSpec(&podSpec) } }
            }
        }
    }

    /// SetDefaults_PodSpec and SetDefaults_Container.
    static func defaultPodSpec(_ spec: inout JSONValue) {
        setIfMissing(&spec, "restartPolicy", "Always")
        setIfMissing(&spec, "terminationGracePeriodSeconds", 30)
        setIfMissing(&spec, "dnsPolicy", "ClusterFirst")
        setIfMissing(&spec, "securityContext", [:])
        setIfMissing(&spec, "schedulerName", "default-scheduler")
        for field in ["initContainers", "containers"] {
            guard case .array(var containers)? = spec[field] else { continue }
            for index in containers.indices { defaultContainer(&containers[index]) }
            spec[field] = .array(containers)
        }
        spec = ServiceAccountAdmission.orderedPodSpec(spec)
    }

    static let containerOrder = [
        "name", "image", "command", "args", "workingDir", "ports", "envFrom", "env", "resources", "resizePolicy",
        "restartPolicy", "volumeMounts", "volumeDevices", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle",
        "terminationMessagePath", "terminationMessagePolicy", "imagePullPolicy", "securityContext", "stdin", "stdinOnce", "tty",
    ]

    private static func defaultContainer(_ container: inout JSONValue) {
        setIfMissing(&container, "resources", [:])
        setIfMissing(&container, "terminationMessagePath", "/dev/termination-log")
        setIfMissing(&container, "terminationMessagePolicy", "File")
        if container["imagePullPolicy"] == nil {
            let image = container["image"]?.stringValue ?? ""
            let lastComponent = image.split(separator: "/").last ?? ""
            let untaggedOrLatest = !lastComponent.contains(":") && !image.contains("@") || image.hasSuffix(":latest")
            container["imagePullPolicy"] = untaggedOrLatest ? "Always" : "IfNotPresent"
        }
        if case .array(var ports)? = container["ports"] {
            for index in ports.indices where ports[index]["protocol"] == nil { ports[index]["protocol"] = "TCP" }
            container["ports"] = .array(ports)
        }
        guard case .object(let object) = container else { return }
        var ordered = JSONObject(minimumCapacity: object.count)
        for key in containerOrder { if let member = object[key] { ordered[key] = member } }
        for (key, member) in zip(object.keys, object.values) where ordered[key] == nil { ordered[key] = member }
        container = .object(ordered)
    }
}
