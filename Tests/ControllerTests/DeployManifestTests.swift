import Foundation
import Testing
import Yams

/// What ships to clusters: the kustomize base, its components and overlays, the Helm chart, the
/// Dockerfile, the krew manifest and the docs that describe them. Rendering uses the real tools:
/// `kubectl kustomize`, and Helm's own engine (`helm template`, or deploy/helm/helm-template.py
/// over the helm-python-sdk package where no helm binary exists). Tests needing a missing tool
/// are skipped with the reason.
@Suite("Deploy manifests")
struct DeployManifestTests {
    // MARK: RBAC

    @Test("The ClusterRole grants exactly the expected rules and nothing on Secrets")
    func clusterRoleRules() throws {
        let objects = try DeployManifest.load(file: "deploy/base/rbac.yaml")
        let clusterRole = try DeployManifest.one(objects, kind: "ClusterRole", name: "token-warden")
        let grants = try DeployRBAC.grants(clusterRole)
        #expect(grants == DeployRBAC.expectedClusterRole, "extra: \(grants.subtracting(DeployRBAC.expectedClusterRole).sorted()), missing: \(DeployRBAC.expectedClusterRole.subtracting(grants).sorted())")
        for object in objects where ["ClusterRole", "Role"].contains(DeployManifest.kind(object)) {
            let all = try DeployRBAC.grants(object)
            #expect(!all.contains { $0.contains("|secrets|") || $0.contains("*") }, "\(DeployManifest.name(object)) reaches Secrets or uses a wildcard")
        }
    }

    @Test("Leader election is a namespaced Role on leases only, bound to the controller's ServiceAccount")
    func leaderElectionRole() throws {
        let objects = try DeployManifest.load(file: "deploy/base/rbac.yaml")
        let role = try DeployManifest.one(objects, kind: "Role", name: "token-warden-leader-election")
        #expect(try DeployRBAC.grants(role) == DeployRBAC.expectedLeaderElectionRole)
        for kind in ["ClusterRoleBinding", "RoleBinding"] {
            let binding = try DeployManifest.one(objects, kind: kind, name: kind == "RoleBinding" ? "token-warden-leader-election" : "token-warden")
            let subjects = binding["subjects"] as? [[String: Any]] ?? []
            #expect(subjects.count == 1)
            #expect(subjects.first?["kind"] as? String == "ServiceAccount")
            #expect(subjects.first?["name"] as? String == "token-warden")
        }
        #expect(objects.count == 4, "rbac.yaml holds ClusterRole, ClusterRoleBinding, Role, RoleBinding")
    }

    @Test("The opt-in recreate component adds only pods create/delete")
    func recreateComponent() throws {
        let objects = try DeployManifest.load(file: "deploy/components/recreate-bare-pods/rbac.yaml")
        let role = try DeployManifest.one(objects, kind: "ClusterRole", name: "token-warden-recreate-bare-pods")
        #expect(try DeployRBAC.grants(role) == DeployRBAC.expectedRecreate)
    }

    // MARK: Kustomize

    @Test("kubectl kustomize builds the base and every overlay", .enabled(if: DeployTools.kubectl != nil, "kubectl not on PATH"),
          arguments: DeployManifest.variants)
    func kustomizeBuilds(variant: DeployManifest.Variant) throws {
        let objects = try DeployManifest.kustomize(variant.path)
        #expect(DeployManifest.kinds(objects) == variant.kinds)
        for object in objects where DeployManifest.kind(object) != "Namespace" && !DeployManifest.kind(object).hasPrefix("Cluster") {
            #expect(DeployManifest.namespace(object) == "token-warden", "\(DeployManifest.kind(object))/\(DeployManifest.name(object))")
        }
        let args = try DeployManifest.containerArgs(DeployManifest.one(objects, kind: "Deployment", name: "token-warden"))
        #expect(args == DeployManifest.baseArgs + variant.extraArgs)
    }

    @Test("The Deployment is hardened, probed, sized and highly available")
    func deploymentHardening() throws {
        let deployment = try DeployManifest.one(DeployManifest.load(file: "deploy/base/deployment.yaml"), kind: "Deployment", name: "token-warden")
        try DeployHardening.check(deployment)
        #expect(try DeployManifest.containerArgs(deployment) == DeployManifest.baseArgs)
    }

    // MARK: Helm

    @Test("The chart's defaults render the same RBAC and pod spec as the kustomize base",
          .enabled(if: DeployTools.kubectl != nil && DeployTools.helmRenderer != nil, "needs kubectl and helm (or python3 + helm-python-sdk)"))
    func chartMatchesBase() throws {
        let chart = try DeployManifest.helmTemplate()
        let base = try DeployManifest.kustomize("deploy/base")
        #expect(DeployManifest.kinds(chart) == DeployManifest.kinds(base).filter { $0 != "Namespace" }, "Helm leaves the namespace to --create-namespace")
        for (kind, name) in [("ClusterRole", "token-warden"), ("Role", "token-warden-leader-election")] {
            #expect(try DeployRBAC.grants(DeployManifest.one(chart, kind: kind, name: name)) == DeployRBAC.grants(DeployManifest.one(base, kind: kind, name: name)))
        }
        let chartDeployment = try DeployManifest.one(chart, kind: "Deployment", name: "token-warden")
        try DeployHardening.check(chartDeployment)
        let baseDeployment = try DeployManifest.one(base, kind: "Deployment", name: "token-warden")
        #expect(try DeployManifest.containerArgs(chartDeployment) == DeployManifest.containerArgs(baseDeployment))
        for path in ["spec.template.spec.securityContext", "spec.template.spec.containers.0.securityContext",
                     "spec.template.spec.containers.0.resources", "spec.template.spec.containers.0.livenessProbe",
                     "spec.template.spec.containers.0.readinessProbe", "spec.template.spec.containers.0.ports",
                     "spec.template.spec.containers.0.image", "spec.template.spec.containers.0.imagePullPolicy",
                     "spec.template.spec.containers.0.volumeMounts", "spec.template.spec.automountServiceAccountToken",
                     "spec.template.spec.enableServiceLinks", "spec.template.spec.terminationGracePeriodSeconds",
                     "spec.template.spec.volumes", "spec.replicas", "spec.strategy", "metadata.annotations"] {
            #expect(DeployManifest.same(DeployManifest.value(chartDeployment, path), DeployManifest.value(baseDeployment, path)), "\(path) differs")
        }
        for (kind, name, path) in [("PodDisruptionBudget", "token-warden", "spec.minAvailable"),
                                   ("PodDisruptionBudget", "token-warden", "spec.unhealthyPodEvictionPolicy"),
                                   ("NetworkPolicy", "token-warden", "spec.ingress"),
                                   ("NetworkPolicy", "token-warden", "spec.policyTypes"),
                                   ("Service", "token-warden-metrics", "spec.ports")] {
            let fromChart = try DeployManifest.one(chart, kind: kind, name: name), fromBase = try DeployManifest.one(base, kind: kind, name: name)
            #expect(DeployManifest.same(DeployManifest.value(fromChart, path), DeployManifest.value(fromBase, path)), "\(kind) \(path) differs")
        }
    }

    @Test("Every `token-warden run` flag has a chart value that renders it",
          .enabled(if: DeployTools.helmRenderer != nil, "needs helm (or python3 + helm-python-sdk)"))
    func chartMapsEveryFlag() throws {
        let values = """
            {"config": {"namespaces": ["team-a", "team-b"], "mode": "report", "tokenLifetime": "90d",
              "restartBefore": "14d", "tokensInvalidBefore": "2026-01-02T03:04:05Z",
              "maintenanceWindow": "Mon-Fri 02:00-05:00 Europe/Berlin; Sat 00:00-06:00 UTC", "restartOn": "evidence",
              "maxConcurrent": 3, "maxConcurrentPerNamespace": 2, "rolloutTimeout": "20m",
              "restartCooldown": "2h", "resyncInterval": "30s", "evictTimeout": "5m",
              "leaderElection": {"enabled": true, "namespace": "ops", "id": "tw", "leaseDuration": "20s",
                                 "renewDeadline": "12s", "retryPeriod": "3s"},
              "httpPort": 9090, "auditWebhook": {"enabled": true, "port": 9443, "tokenSecretName": "audit-token", "maxSilence": "45m"}, "logFormat": "text", "logLevel": "debug"},
             "extraArgs": ["--something-new=1"]}
            """
        let objects = try DeployManifest.helmTemplate(valuesJSON: values)
        let deployment = try DeployManifest.one(objects, kind: "Deployment", name: "token-warden")
        let args = try DeployManifest.containerArgs(deployment)
        #expect(args == [
            "--namespace=team-a", "--namespace=team-b", "--mode=report", "--token-lifetime=90d",
            "--restart-before=14d", "--tokens-invalid-before=2026-01-02T03:04:05Z",
            "--maintenance-window=Mon-Fri 02:00-05:00 Europe/Berlin; Sat 00:00-06:00 UTC", "--restart-on=evidence",
            "--max-concurrent=3", "--max-concurrent-per-namespace=2", "--rollout-timeout=20m",
            "--restart-cooldown=2h", "--resync-interval=30s", "--evict-timeout=5m", "--leader-elect",
            "--leader-election-namespace=ops", "--leader-election-id=tw", "--lease-duration=20s",
            "--renew-deadline=12s", "--retry-period=3s", "--http-address=0.0.0.0:9090", "--audit-webhook",
            "--audit-webhook-address=0.0.0.0:9443", "--audit-webhook-tls-cert-file=/etc/token-warden/audit-tls/tls.crt",
            "--audit-webhook-tls-key-file=/etc/token-warden/audit-tls/tls.key",
            "--audit-webhook-client-ca-file=/etc/token-warden/audit-tls/ca.crt",
            "--audit-webhook-token-file=/etc/token-warden/audit-token/token", "--evidence-max-silence=45m",
            "--log-format=text", "--log-level=debug", "--something-new=1",
        ])
        let flagNames = Set(args.map { String($0.split(separator: "=")[0]) })
        #expect(DeployManifest.runFlags.subtracting(flagNames).subtracting(["--no-leader-elect", "--no-audit-webhook"]).isEmpty,
                "no value renders \(DeployManifest.runFlags.subtracting(flagNames).sorted())")
        #expect(DeployManifest.namespace(try DeployManifest.one(objects, kind: "Role", name: "token-warden-leader-election")) == "ops")
        #expect(DeployManifest.same(DeployManifest.value(deployment, "spec.template.spec.containers.0.ports.0.containerPort"), 9090))
        #expect(try DeployManifest.one(objects, kind: "Service", name: "token-warden-audit")["spec"] != nil)

        let off = try DeployManifest.helmTemplate(valuesJSON: #"{"config": {"leaderElection": {"enabled": false}}}"#)
        #expect(try DeployManifest.containerArgs(DeployManifest.one(off, kind: "Deployment", name: "token-warden")).contains("--no-leader-elect"))
        #expect(!DeployManifest.kinds(off).contains("Role"), "no Lease access without leader election")
    }

    @Test("The chart's schema rejects misspelled and invalid config values",
          .enabled(if: DeployTools.helmRenderer != nil, "needs helm (or python3 + helm-python-sdk)"),
          arguments: [#"{"config": {"tokenLifetme": "90d"}}"#, #"{"config": {"mode": "restrat"}}"#,
                      #"{"config": {"restartBefore": "30 days"}}"#, #"{"config": {"maxConcurrent": 0}}"#,
                      #"{"config": {"logLevel": "verbose"}}"#])
    func chartSchema(values: String) {
        #expect(throws: DeployToolError.self) { try DeployManifest.helmTemplate(valuesJSON: values) }
    }

    @Test("The chart's optional parts match the kustomize components",
          .enabled(if: DeployTools.helmRenderer != nil, "needs helm (or python3 + helm-python-sdk)"))
    func chartOptionalParts() throws {
        let objects = try DeployManifest.helmTemplate(valuesJSON: #"{"rbac": {"recreateBarePods": true}, "serviceMonitor": {"enabled": true}}"#)
        #expect(try DeployRBAC.grants(DeployManifest.one(objects, kind: "ClusterRole", name: "token-warden-recreate-bare-pods")) == DeployRBAC.expectedRecreate)
        let monitor = try DeployManifest.one(objects, kind: "ServiceMonitor", name: "token-warden")
        #expect(DeployManifest.same(DeployManifest.value(monitor, "spec.endpoints.0.port"), "http-metrics"))
        let component = try DeployManifest.one(DeployManifest.load(file: "deploy/components/servicemonitor/servicemonitor.yaml"), kind: "ServiceMonitor", name: "token-warden")
        #expect(DeployManifest.same(DeployManifest.value(monitor, "spec.endpoints"), DeployManifest.value(component, "spec.endpoints")))
    }

    // MARK: Image, plugin, docs

    @Test("The Dockerfile builds the tested binary and runs it unprivileged")
    func dockerfile() throws {
        let text = try DeployManifest.text("Dockerfile")
        #expect(text.contains("swift build -c release --static-swift-stdlib --product token-warden"))
        #expect(text.contains(#"ENTRYPOINT ["token-warden", "run"]"#))
        #expect(text.contains("USER 65532:65532"))
        #expect(text.contains("libcurl4 ca-certificates tzdata"))
        #expect(text.contains("kubectl-token_warden"))
    }

    @Test("The krew manifest installs the binary as kubectl-token_warden")
    func krewManifest() throws {
        let plugin = try DeployManifest.one(DeployManifest.load(file: "deploy/krew/token-warden.yaml"), kind: "Plugin", name: "token-warden")
        let platforms = DeployManifest.value(plugin, "spec.platforms") as? [[String: Any]] ?? []
        #expect(!platforms.isEmpty)
        for platform in platforms {
            #expect(platform["bin"] as? String == "kubectl-token_warden")
        }
    }

    @Test("Chart, kustomize image tag, krew manifest and Dockerfile name one version")
    func versionsAgree() throws {
        let chart = try #require(DeployManifest.load(file: "deploy/helm/token-warden/Chart.yaml").first)
        let version = try #require(chart["appVersion"] as? String)
        #expect(chart["version"] as? String == version)
        let kustomization = try #require(DeployManifest.load(file: "deploy/base/kustomization.yaml").first)
        #expect(DeployManifest.same(DeployManifest.value(kustomization, "images.0.newTag"), version))
        let plugin = try DeployManifest.one(DeployManifest.load(file: "deploy/krew/token-warden.yaml"), kind: "Plugin", name: "token-warden")
        #expect(DeployManifest.value(plugin, "spec.version") as? String == "v\(version)")
        #expect(try DeployManifest.text("Dockerfile").contains("ARG VERSION=\(version)"))
        #expect(try DeployManifest.text("Sources/Controller/BuildInfo.swift").contains(#"version = "\#(version)""#))
    }

    @Test("The docs name every run flag and every annotation")
    func docsCoverConfiguration() throws {
        let text = try DeployManifest.text("docs/configuration.md")
        for flag in DeployManifest.runFlags.sorted() {
            #expect(text.contains("`\(flag)"), "docs/configuration.md lacks \(flag)")
        }
        for annotation in ["mode", "token-lifetime", "restart-before", "tokens-invalid-before", "strategy", "maintenance-window", "restart-on"] {
            #expect(text.contains("token-warden.dev/\(annotation)"), "docs/configuration.md lacks \(annotation)")
        }
    }
}
