/// Builds realistic pod templates (labels + spec, as in a workload's `spec.template`): several
/// containers with ports, env, resources, probes, mounts, security contexts, and volumes.
struct PodTemplateBuilder {
    enum TokenMode {
        /// The default: admission adds the kube-api-access projected volume.
        case projected
        /// automountServiceAccountToken: false, nothing mounted.
        case none
        /// A legacy token Secret mounted at the token path (automount off, mounted by hand).
        case legacySecret
    }

    struct Template {
        var labels: JSONObject
        var annotations: JSONObject
        var spec: JSONValue
        var tokenMode: TokenMode
    }

    static let appImages = [
        "registry.example.com/shop/checkout:1.14.2", "registry.example.com/shop/catalog:3.2.0",
        "ghcr.io/acme/worker:v3.8.0", "ghcr.io/acme/api:v2.19.4", "nginx:1.27.1", "redis:7.2.5",
        "postgres:16.4", "docker.io/library/python:3.12-slim", "eclipse-temurin:21-jre",
        "quay.io/acme/billing:2024.11.3", "registry.example.com/data/ingest:0.42.1",
    ]
    static let sidecarImages = [
        ("envoy", "envoyproxy/envoy:v1.31.0"), ("otel-agent", "otel/opentelemetry-collector-contrib:0.108.0"),
        ("log-shipper", "fluent/fluent-bit:3.1.6"), ("vault-agent", "hashicorp/vault:1.17.2"),
    ]
    static let envNames = [
        "LOG_LEVEL", "LOG_FORMAT", "HTTP_PORT", "METRICS_PORT", "DATABASE_HOST", "DATABASE_NAME", "REDIS_URL",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_SERVICE_NAME", "FEATURE_FLAGS", "REGION", "CACHE_TTL_SECONDS",
        "MAX_CONNECTIONS", "JAVA_TOOL_OPTIONS", "GOMAXPROCS", "TZ",
    ]

    var random: SeededRandom

    mutating func template(appName: String, kind: String, containers: Int, tokenMode: TokenMode,
                           customToken: Bool, restartPolicy: String = "Always") -> Template {
        var labels = JSONObject()
        labels["app"] = .string(appName)
        labels["app.kubernetes.io/name"] = .string(appName)
        labels["app.kubernetes.io/part-of"] = .string(String(appName.split(separator: "-").first ?? "app"))
        labels["app.kubernetes.io/version"] = .string("\(random.int(1...9)).\(random.int(0...30)).\(random.int(0...9))")
        if random.chance(0.5) { labels["tier"] = .string(random.pick(["frontend", "backend", "data", "batch"])) }
        var annotations = JSONObject()
        if random.chance(0.4) {
            annotations["prometheus.io/scrape"] = "true"
            annotations["prometheus.io/port"] = "9090"
        }

        var volumes: [JSONValue] = [
            ["name": "config", "configMap": ["name": .string(appName + "-config"), "defaultMode": 420]],
            ["name": "tmp", "emptyDir": [:]],
        ]
        if random.chance(0.5) {
            volumes.append(["name": "tls", "secret": ["secretName": .string(appName + "-tls"), "defaultMode": 420]])
        }
        if customToken {
            volumes.append([
                "name": "vault-token",
                "projected": [
                    "sources": [["serviceAccountToken": ["audience": "vault", "expirationSeconds": 7200, "path": "vault-token"]]],
                    "defaultMode": 420,
                ],
            ])
        }
        var containerList: [JSONValue] = []
        for index in 0..<max(1, containers) {
            containerList.append(container(index: index, appName: appName, customToken: customToken))
        }
        if tokenMode == .legacySecret {
            let secret = appName + "-token-" + random.nameSuffix()
            volumes.append(["name": .string(secret), "secret": ["secretName": .string(secret), "defaultMode": 420]])
            containerList[0].modifyObject { container in
                container.modify("volumeMounts", default: []) { mounts in
                    mounts.modifyArray {
                        $0.append(["name": .string(secret), "readOnly": true, "mountPath": .string(ServiceAccountAdmission.tokenMountPath)])
                    }
                }
            }
        }

        var spec = JSONObject()
        spec["volumes"] = .array(volumes)
        if kind != "DaemonSet" && random.chance(0.25) {
            spec["initContainers"] = [[
                "name": "migrate", "image": .string(random.pick(Self.appImages)),
                "command": ["/bin/sh", "-c", "until nc -z db 5432; do sleep 1; done; ./migrate up"],
                "resources": ["requests": ["cpu": "50m", "memory": "64Mi"]],
                "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
                "imagePullPolicy": "IfNotPresent",
            ]]
        }
        spec["containers"] = .array(containerList)
        spec["restartPolicy"] = .string(restartPolicy)
        spec["terminationGracePeriodSeconds"] = .int(Int64(random.pick([30, 30, 30, 60, 10])))
        spec["dnsPolicy"] = "ClusterFirst"
        if random.chance(0.3) { spec["nodeSelector"] = ["kubernetes.io/os": "linux"] }
        if random.chance(0.6) { spec["serviceAccountName"] = .string(appName) }
        if tokenMode != .projected { spec["automountServiceAccountToken"] = false }
        spec["securityContext"] = random.chance(0.5) ? ["runAsNonRoot": true, "fsGroup": 2000, "seccompProfile": ["type": "RuntimeDefault"]] : [:]
        if random.chance(0.2) { spec["imagePullSecrets"] = [["name": "registry-credentials"]] }
        spec["schedulerName"] = "default-scheduler"
        return Template(labels: labels, annotations: annotations, spec: .object(spec), tokenMode: tokenMode)
    }

    private mutating func container(index: Int, appName: String, customToken: Bool) -> JSONValue {
        let isMain = index == 0
        let (name, image) = isMain ? ("app", random.pick(Self.appImages)) : Self.sidecarImages[(index - 1) % Self.sidecarImages.count]
        var container = JSONObject()
        container["name"] = .string(name)
        container["image"] = .string(image)
        if isMain && random.chance(0.4) { container["args"] = ["--config=/etc/app/config.yaml", "--listen=:8080"] }
        let port = isMain ? 8080 : 9000 + Int64(index)
        container["ports"] = [
            ["name": "http", "containerPort": .int(port), "protocol": "TCP"],
            ["name": .string("metrics" + (isMain ? "" : String(index))), "containerPort": .int(9090 + Int64(index) * 10), "protocol": "TCP"],
        ]
        var env: [JSONValue] = []
        for envName in Self.envNames.prefix(random.int(3...(isMain ? 12 : 5))) {
            env.append(["name": .string(envName), "value": .string(envValue(envName, appName: appName))])
        }
        env.append(["name": "POD_NAME", "valueFrom": ["fieldRef": ["apiVersion": "v1", "fieldPath": "metadata.name"]]])
        container["env"] = .array(env)
        let cpu = random.pick(["50m", "100m", "250m", "500m", "1"])
        let memory = random.pick(["64Mi", "128Mi", "256Mi", "512Mi", "1Gi"])
        container["resources"] = ["limits": ["memory": .string(memory)], "requests": ["cpu": .string(cpu), "memory": .string(memory)]]
        var mounts: [JSONValue] = [["name": "config", "mountPath": "/etc/app", "readOnly": true]]
        if isMain { mounts.append(["name": "tmp", "mountPath": "/tmp"]) }
        if customToken && isMain { mounts.append(["name": "vault-token", "mountPath": "/var/run/secrets/vault", "readOnly": true]) }
        container["volumeMounts"] = .array(mounts)
        if isMain {
            container["livenessProbe"] = probe(path: "/healthz", port: port, period: 10)
            container["readinessProbe"] = probe(path: "/readyz", port: port, period: 5)
        }
        container["terminationMessagePath"] = "/dev/termination-log"
        container["terminationMessagePolicy"] = "File"
        container["imagePullPolicy"] = "IfNotPresent"
        container["securityContext"] = [
            "capabilities": ["drop": ["ALL"]], "readOnlyRootFilesystem": true, "allowPrivilegeEscalation": false,
        ]
        return .object(container)
    }

    private func probe(path: String, port: Int64, period: Int64) -> JSONValue {
        [
            "httpGet": ["path": .string(path), "port": .int(port), "scheme": "HTTP"],
            "initialDelaySeconds": 5, "timeoutSeconds": 1, "periodSeconds": .int(period), "successThreshold": 1,
            "failureThreshold": 3,
        ]
    }

    private mutating func envValue(_ name: String, appName: String) -> String {
        switch name {
        case "LOG_LEVEL": return random.pick(["info", "debug", "warn"])
        case "LOG_FORMAT": return "json"
        case "HTTP_PORT": return "8080"
        case "METRICS_PORT": return "9090"
        case "DATABASE_HOST": return appName + "-db.svc.cluster.local"
        case "DATABASE_NAME": return appName.replacingOccurrences(of: "-", with: "_")
        case "REDIS_URL": return "redis://redis-master:6379/\(random.int(0...15))"
        case "OTEL_EXPORTER_OTLP_ENDPOINT": return "http://otel-collector.observability:4317"
        case "OTEL_SERVICE_NAME": return appName
        case "FEATURE_FLAGS": return "new-checkout,fast-search,dark-mode"
        case "REGION": return random.pick(["eu-central-1", "us-east-1", "ap-southeast-2"])
        case "JAVA_TOOL_OPTIONS": return "-XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError"
        case "TZ": return "UTC"
        default: return String(random.int(1...512))
        }
    }

    /// Grows the template by about `bytes` of pod JSON (env entries, and their managedFields),
    /// to reach a target pod size.
    mutating func pad(_ template: inout Template, bytes: Int) {
        guard bytes > 0 else { return }
        // One entry is ~40 bytes of framing + name + value, plus ~75 bytes in managedFields.
        let valueLength = 120
        let perEntry = 40 + 18 + valueLength + 75
        let count = (bytes + perEntry / 2) / perEntry
        guard count > 0 else { return }
        template.spec.modifyObject { spec in
            spec.modify("containers") { containers in
                containers.modifyArray { list in
                    list[0].modifyObject { container in
                        container.modify("env", default: []) { env in
                            env.modifyArray { entries in
                                for index in 0..<count {
                                    let name = "SETTING_\(index < 10 ? "00" : index < 100 ? "0" : "")\(index)_VALUE"
                                    entries.append(["name": .string(name), "value": .string(random.hexString(valueLength))])
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

private extension String {
    func replacingOccurrences(of target: Character, with replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
