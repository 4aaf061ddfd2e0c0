/// What the API server's admission chain adds to a new pod, shared by the simulated API server
/// (admission hook on create) and the population generator:
/// - ServiceAccount admission (plugin/pkg/admission/serviceaccount): `serviceAccountName`
///   defaults to "default"; unless `automountServiceAccountToken` is false (on the pod) or a
///   volume is already mounted at the token path, a `kube-api-access-<5 random>` projected
///   volume (serviceAccountToken expirationSeconds 3607, kube-root-ca.crt, namespace) is
///   appended, and mounted read-only at /var/run/secrets/kubernetes.io/serviceaccount in every
///   container and init container;
/// - DefaultTolerationSeconds: not-ready / unreachable NoExecute tolerations of 300 s;
/// - Priority: `priority: 0`, `preemptionPolicy: PreemptLowerPriority`; `enableServiceLinks: true`.
public enum ServiceAccountAdmission {
    public static let tokenMountPath = "/var/run/secrets/kubernetes.io/serviceaccount"
    /// `WarnOnlyBoundTokenExpirationSeconds`: the value for which the API server extends tokens.
    public static let tokenExpirationSeconds: Int64 = 3607

    /// Mutates `pod` (a whole Pod object) as admission does on create. `suffix` names the volume.
    public static func admit(_ pod: inout JSONValue, volumeSuffix suffix: String) {
        pod.modifyObject { object in
            object.modify("spec", default: [:]) { spec in admitSpec(&spec, volumeSuffix: suffix) }
        }
    }

    static func admitSpec(_ spec: inout JSONValue, volumeSuffix suffix: String) {
        let serviceAccount = spec["serviceAccountName"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            ?? spec["serviceAccount"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        spec["serviceAccountName"] = .string(serviceAccount)
        spec["serviceAccount"] = .string(serviceAccount)
        if spec["automountServiceAccountToken"]?.boolValue != false && !mountsTokenPath(spec) {
            let volumeName = "kube-api-access-" + suffix
            spec.modifyObject { object in
                object.modify("volumes", default: []) { volumes in
                    volumes.modifyArray { $0.append(projectedVolume(named: volumeName)) }
                }
                for field in ["initContainers", "containers"] where object[field] != nil {
                    object.modify(field) { containers in
                        containers.modifyArray { list in
                            for index in list.indices {
                                list[index].modifyObject { container in
                                    container.modify("volumeMounts", default: []) { mounts in
                                        mounts.modifyArray { $0.append(tokenMount(volumeName: volumeName)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        addDefaultTolerations(&spec)
        if spec["priority"] == nil { spec["priority"] = 0 }
        if spec["enableServiceLinks"] == nil { spec["enableServiceLinks"] = true }
        if spec["preemptionPolicy"] == nil { spec["preemptionPolicy"] = "PreemptLowerPriority" }
        spec = orderedPodSpec(spec)
    }

    /// PodSpec fields in Go struct order, as the API server serializes them; unknown ones last.
    static let podSpecOrder = [
        "volumes", "initContainers", "containers", "ephemeralContainers", "restartPolicy",
        "terminationGracePeriodSeconds", "activeDeadlineSeconds", "dnsPolicy", "nodeSelector", "serviceAccountName",
        "serviceAccount", "automountServiceAccountToken", "nodeName", "hostNetwork", "hostPID", "hostIPC",
        "shareProcessNamespace", "securityContext", "imagePullSecrets", "hostname", "subdomain", "affinity",
        "schedulerName", "tolerations", "hostAliases", "priorityClassName", "priority", "dnsConfig", "readinessGates",
        "runtimeClassName", "enableServiceLinks", "preemptionPolicy", "overhead", "topologySpreadConstraints",
        "setHostnameAsFQDN", "os", "hostUsers", "schedulingGates", "resourceClaims", "resources",
    ]

    static func orderedPodSpec(_ spec: JSONValue) -> JSONValue {
        guard case .object(let object) = spec else { return spec }
        var result = JSONObject(minimumCapacity: object.count)
        for key in podSpecOrder { if let member = object[key] { result[key] = member } }
        if result.count != object.count {
            for (key, member) in zip(object.keys, object.values) where result[key] == nil { result[key] = member }
        }
        return .object(result)
    }

    /// The projected volume exactly as the admission plugin builds it (see the golden pod).
    public static func projectedVolume(named name: String) -> JSONValue {
        [
            "name": .string(name),
            "projected": [
                "sources": [
                    ["serviceAccountToken": ["expirationSeconds": .int(tokenExpirationSeconds), "path": "token"]],
                    ["configMap": ["name": "kube-root-ca.crt", "items": [["key": "ca.crt", "path": "ca.crt"]]]],
                    ["downwardAPI": ["items": [["path": "namespace", "fieldRef": ["apiVersion": "v1", "fieldPath": "metadata.namespace"]]]]],
                ],
                "defaultMode": 420,
            ],
        ]
    }

    public static func tokenMount(volumeName: String) -> JSONValue {
        ["name": .string(volumeName), "readOnly": true, "mountPath": .string(tokenMountPath)]
    }

    private static func mountsTokenPath(_ spec: JSONValue) -> Bool {
        for field in ["initContainers", "containers"] {
            for container in spec[field]?.arrayValue ?? [] {
                for mount in container["volumeMounts"]?.arrayValue ?? []
                where mount["mountPath"]?.stringValue == tokenMountPath {
                    return true
                }
            }
        }
        return false
    }

    private static func addDefaultTolerations(_ spec: inout JSONValue) {
        var tolerations = spec["tolerations"]?.arrayValue ?? []
        for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
            let present = tolerations.contains {
                $0["key"]?.stringValue == key && ($0["effect"]?.stringValue ?? "NoExecute") == "NoExecute"
            }
            if !present {
                tolerations.append(["key": .string(key), "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300])
            }
        }
        spec["tolerations"] = .array(tolerations)
    }
}
