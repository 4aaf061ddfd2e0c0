/// One workload (with its ReplicaSet, PDB and pods) per call.
extension GeneratorState {
    mutating func nextWorkload() -> [JSONValue] {
        let kind = chooseKind()
        let namespace = random.pick(namespaceNames)
        let base = "\(random.pick(ClusterGenerator.appWords))-\(random.pick(ClusterGenerator.roleWords))"
        let name = uniqueName(in: namespace, base: base)
        let count: Int
        switch kind {
        case .daemonset: count = min(spec.nodes, podsLeft)
        case .job, .cronjob, .pod: count = 1
        default: count = min(random.int(spec.replicas), podsLeft)
        }
        podsLeft -= count
        let starts = (0..<count).map { _ in sampleStart() }
        let created = RFC3339.format(unixSeconds: (starts.min() ?? now) - Int64(random.int(60...3600)))
        let lastStart = RFC3339.format(unixSeconds: starts.max() ?? now)
        let phases = (0..<count).map { _ -> PodFactory.Phase in random.chance(spec.pendingFraction) ? .pending : .running }
        let ready = phases.filter { $0 == .running }.count
        var context = WorkloadContext(namespace: namespace, name: name, uid: random.uuid(), created: created,
                                      lastStart: lastStart, starts: starts, phases: phases, ready: ready)
        switch kind {
        case .deployment: return deployment(&context)
        case .statefulset: return statefulSet(&context)
        case .daemonset: return daemonSet(&context)
        case .replicationcontroller: return replicationController(&context)
        case .replicaset: return bareReplicaSet(&context)
        case .job: return job(&context, cronJob: false)
        case .cronjob: return job(&context, cronJob: true)
        case .pod: return barePod(&context)
        case .custom: return customOwned(&context)
        }
    }

    struct WorkloadContext {
        var namespace: String
        var name: String
        var uid: String
        var created: String
        var lastStart: String
        var starts: [Int64]
        var phases: [PodFactory.Phase]
        var ready: Int
        var count: Int { starts.count }

        func common(labels: JSONObject, annotations: JSONObject = [:], name: String? = nil, uid: String? = nil,
                    owner: PodFactory.Owner? = nil) -> WorkloadObjects.Common {
            WorkloadObjects.Common(namespace: namespace, name: name ?? self.name, uid: uid ?? self.uid, created: created,
                                   labels: labels, annotations: annotations, owner: owner)
        }
    }

    /// The pods of a workload: `naming(i)` gives (name, generateName), `node(i)` the node index.
    mutating func pods(_ context: WorkloadContext, prepared: PodFactory.PreparedTemplate, labels: (Int) -> JSONObject,
                       owner: PodFactory.Owner?, naming: (inout SeededRandom, Int) -> (String, String?),
                       node: ((Int) -> Int)? = nil, phase: ((Int) -> PodFactory.Phase)? = nil) -> [JSONValue] {
        var result: [JSONValue] = []
        result.reserveCapacity(context.count)
        for index in 0..<context.count {
            let (name, generateName) = naming(&random, index)
            podNumber += 1
            let plan = PodFactory.Plan(
                namespace: context.namespace, name: name, generateName: generateName, uid: random.uuid(),
                labels: labels(index), owner: owner, nodeIndex: node?(index) ?? random.int(0...(spec.nodes - 1)),
                podNumber: podNumber, startedAt: context.starts[index], phase: phase?(index) ?? context.phases[index], now: now)
            result.append(PodFactory.pod(plan, from: prepared, random: &random))
        }
        return result
    }

    private static func merged(_ labels: JSONObject, _ extra: [(String, String)]) -> JSONObject {
        var result = labels
        for (key, value) in extra { result[key] = .string(value) }
        return result
    }

    private mutating func disruptionBudget(_ context: WorkloadContext, selector: JSONObject) -> [JSONValue] {
        guard context.count >= 2, random.chance(spec.pdbFraction) else { return [] }
        let rules: [(String, JSONValue)] = [
            ("minAvailable", 1), ("minAvailable", "50%"), ("maxUnavailable", 1), ("maxUnavailable", "25%"),
            ("minAvailable", .int(Int64(context.count))),
        ]
        let common = context.common(labels: [:], name: context.name + "-pdb", uid: random.uuid())
        return [WorkloadObjects.podDisruptionBudget(common, selector: selector, rule: random.pick(rules),
                                                    pods: context.count, scale: context.count, healthy: context.ready)]
    }

    private mutating func deployment(_ context: inout WorkloadContext) -> [JSONValue] {
        let prepared = makeTemplate(appName: context.name, kind: "Deployment")
        let labels = prepared.template.labels
        let selector: JSONObject = ["app": .string(context.name)]
        let template = WorkloadObjects.template(labels: labels, annotations: prepared.template.annotations, spec: prepared.template.spec)
        let hash = TemplateHash.hash(template)
        let replicaSetName = "\(context.name)-\(hash)"
        let hasOldRevision = random.chance(0.3)
        let revision = hasOldRevision ? "2" : "1"
        var objects: [JSONValue] = []
        let paused = random.chance(spec.pausedFraction)
        objects.append(WorkloadObjects.deployment(
            context.common(labels: ["app": .string(context.name)], annotations: ["deployment.kubernetes.io/revision": .string(revision)]),
            replicas: context.count, selector: selector, template: template, paused: paused, replicaSetName: replicaSetName,
            ready: context.ready, time: context.lastStart, revisionHistoryLimit: spec.revisionHistoryLimit))
        let owner = PodFactory.Owner(apiVersion: "apps/v1", kind: "Deployment", name: context.name, uid: context.uid)
        let maxReplicas = context.count + DisruptionBudgetMath.scaled("25%", of: context.count)
        func replicaSetObject(name: String, hash: String, template: JSONValue, replicas: Int, ready: Int, revision: String) -> JSONValue {
            var rsTemplate = template
            rsTemplate.set(.string(hash), at: ["metadata", "labels", "pod-template-hash"])
            let rsLabels = Self.merged(labels, [("pod-template-hash", hash)])
            let annotations: JSONObject = [
                "deployment.kubernetes.io/desired-replicas": .string(String(context.count)),
                "deployment.kubernetes.io/max-replicas": .string(String(maxReplicas)),
                "deployment.kubernetes.io/revision": .string(revision),
            ]
            return WorkloadObjects.replicaSet(
                context.common(labels: rsLabels, annotations: annotations, name: name, uid: random.uuid(), owner: owner),
                replicas: replicas, selector: Self.merged(selector, [("pod-template-hash", hash)]), template: rsTemplate, ready: ready)
        }
        if hasOldRevision, spec.revisionHistoryLimit > 0 {
            var oldTemplate = template
            if case .array(var containers)? = oldTemplate.value(at: ["spec", "containers"]) {
                containers[0]["image"] = .string("registry.example.com/previous:\(random.int(1...9)).0")
                oldTemplate.set(.array(containers), at: ["spec", "containers"])
            }
            let oldHash = TemplateHash.hash(oldTemplate)
            objects.append(replicaSetObject(name: "\(context.name)-\(oldHash)", hash: oldHash, template: oldTemplate,
                                            replicas: 0, ready: 0, revision: "1"))
        }
        let replicaSet = replicaSetObject(name: replicaSetName, hash: hash, template: template, replicas: context.count,
                                          ready: context.ready, revision: revision)
        objects.append(replicaSet)
        let rsOwner = PodFactory.Owner(apiVersion: "apps/v1", kind: "ReplicaSet", name: replicaSetName,
                                       uid: replicaSet.value(at: ["metadata", "uid"])?.stringValue ?? "")
        let podLabels = Self.merged(labels, [("pod-template-hash", hash)])
        objects.append(contentsOf: disruptionBudget(context, selector: selector))
        objects.append(contentsOf: pods(context, prepared: prepared, labels: { _ in podLabels }, owner: rsOwner,
                                        naming: { random, _ in ("\(replicaSetName)-\(random.nameSuffix())", "\(replicaSetName)-") }))
        return objects
    }

    private mutating func statefulSet(_ context: inout WorkloadContext) -> [JSONValue] {
        var prepared = makeTemplate(appName: context.name, kind: "StatefulSet")
        let labels = prepared.template.labels
        let selector: JSONObject = ["app": .string(context.name)]
        let template = WorkloadObjects.template(labels: labels, annotations: prepared.template.annotations, spec: prepared.template.spec)
        let revision = "\(context.name)-\(TemplateHash.hash(template))"
        let onDelete = random.chance(spec.onDeleteFraction)
        var objects = [WorkloadObjects.statefulSet(context.common(labels: ["app": .string(context.name)]), replicas: context.count,
                                                   selector: selector, template: template, onDelete: onDelete,
                                                   revision: revision, ready: context.ready)]
        objects.append(contentsOf: disruptionBudget(context, selector: selector))
        prepared.template.spec["subdomain"] = .string(context.name)
        let owner = PodFactory.Owner(apiVersion: "apps/v1", kind: "StatefulSet", name: context.name, uid: context.uid)
        let name = context.name
        var podObjects = pods(context, prepared: prepared, labels: { index in
            Self.merged(labels, [("apps.kubernetes.io/pod-index", String(index)), ("controller-revision-hash", revision),
                                 ("statefulset.kubernetes.io/pod-name", "\(name)-\(index)")])
        }, owner: owner, naming: { _, index in ("\(name)-\(index)", name + "-") }, node: { [nodes = spec.nodes] in $0 % nodes })
        for index in podObjects.indices { podObjects[index].set(.string("\(name)-\(index)"), at: ["spec", "hostname"]) }
        objects.append(contentsOf: podObjects)
        return objects
    }

    private mutating func daemonSet(_ context: inout WorkloadContext) -> [JSONValue] {
        let prepared = makeTemplate(appName: context.name, kind: "DaemonSet")
        let labels = prepared.template.labels
        let selector: JSONObject = ["app": .string(context.name)]
        let template = WorkloadObjects.template(labels: labels, annotations: prepared.template.annotations, spec: prepared.template.spec)
        let revisionHash = TemplateHash.hash(template)
        var objects = [WorkloadObjects.daemonSet(context.common(labels: ["app": .string(context.name)]), nodes: context.count,
                                                 selector: selector, template: template,
                                                 onDelete: random.chance(spec.onDeleteFraction), ready: context.ready)]
        let owner = PodFactory.Owner(apiVersion: "apps/v1", kind: "DaemonSet", name: context.name, uid: context.uid)
        let podLabels = Self.merged(labels, [("controller-revision-hash", revisionHash), ("pod-template-generation", "1")])
        let name = context.name
        objects.append(contentsOf: pods(context, prepared: prepared, labels: { _ in podLabels }, owner: owner,
                                        naming: { random, _ in ("\(name)-\(random.nameSuffix())", name + "-") }, node: { $0 }))
        return objects
    }

    private mutating func replicationController(_ context: inout WorkloadContext) -> [JSONValue] {
        let prepared = makeTemplate(appName: context.name, kind: "ReplicationController")
        let labels = prepared.template.labels
        let selector: JSONObject = ["app": .string(context.name)]
        let template = WorkloadObjects.template(labels: labels, annotations: prepared.template.annotations, spec: prepared.template.spec)
        var objects = [WorkloadObjects.replicationController(context.common(labels: ["app": .string(context.name)]),
                                                             replicas: context.count, selector: selector, template: template,
                                                             ready: context.ready)]
        objects.append(contentsOf: disruptionBudget(context, selector: selector))
        let owner = PodFactory.Owner(apiVersion: "v1", kind: "ReplicationController", name: context.name, uid: context.uid)
        let name = context.name
        objects.append(contentsOf: pods(context, prepared: prepared, labels: { _ in labels }, owner: owner,
                                        naming: { random, _ in ("\(name)-\(random.nameSuffix())", name + "-") }))
        return objects
    }

    private mutating func bareReplicaSet(_ context: inout WorkloadContext) -> [JSONValue] {
        let prepared = makeTemplate(appName: context.name, kind: "ReplicaSet")
        let labels = prepared.template.labels
        let selector: JSONObject = ["app": .string(context.name)]
        let template = WorkloadObjects.template(labels: labels, annotations: prepared.template.annotations, spec: prepared.template.spec)
        var objects = [WorkloadObjects.replicaSet(context.common(labels: ["app": .string(context.name)]), replicas: context.count,
                                                  selector: selector, template: template, ready: context.ready)]
        objects.append(contentsOf: disruptionBudget(context, selector: selector))
        let owner = PodFactory.Owner(apiVersion: "apps/v1", kind: "ReplicaSet", name: context.name, uid: context.uid)
        let name = context.name
        objects.append(contentsOf: pods(context, prepared: prepared, labels: { _ in labels }, owner: owner,
                                        naming: { random, _ in ("\(name)-\(random.nameSuffix())", name + "-") }))
        return objects
    }

    private mutating func job(_ context: inout WorkloadContext, cronJob: Bool) -> [JSONValue] {
        var objects: [JSONValue] = []
        var owner: PodFactory.Owner?
        if cronJob {
            let minute = (context.starts[0] / 60)
            owner = PodFactory.Owner(apiVersion: "batch/v1", kind: "CronJob", name: context.name, uid: random.uuid())
            context.name = uniqueName(in: context.namespace, base: "\(context.name)-\(minute)")
        }
        let prepared = makeTemplate(appName: context.name, kind: "Job", restartPolicy: random.chance(0.5) ? "Never" : "OnFailure")
        let completed = random.chance(0.8)
        let jobLabels: [(String, String)] = [
            ("batch.kubernetes.io/controller-uid", context.uid), ("batch.kubernetes.io/job-name", context.name),
            ("controller-uid", context.uid), ("job-name", context.name),
        ]
        let labels = Self.merged(prepared.template.labels, jobLabels)
        let template = WorkloadObjects.template(labels: labels, annotations: prepared.template.annotations, spec: prepared.template.spec)
        let start = RFC3339.format(unixSeconds: context.starts[0] - 2)
        let end = RFC3339.format(unixSeconds: context.starts[0] + 30)
        objects.append(WorkloadObjects.job(context.common(labels: Self.merged([:], jobLabels), owner: owner),
                                           selectorUID: context.uid, template: template, completed: completed, start: start, end: end))
        let jobOwner = PodFactory.Owner(apiVersion: "batch/v1", kind: "Job", name: context.name, uid: context.uid)
        let name = context.name
        objects.append(contentsOf: pods(context, prepared: prepared, labels: { _ in labels }, owner: jobOwner,
                                        naming: { random, _ in ("\(name)-\(random.nameSuffix())", name + "-") },
                                        phase: { _ in completed ? .succeeded : .running }))
        return objects
    }

    private mutating func barePod(_ context: inout WorkloadContext) -> [JSONValue] {
        let prepared = makeTemplate(appName: context.name, kind: "Pod")
        let labels = Self.merged(prepared.template.labels, [("run", context.name)])
        let name = context.name
        return pods(context, prepared: prepared, labels: { _ in labels }, owner: nil, naming: { _, _ in (name, nil) })
    }

    /// Pods owned directly by a controller the simulator does not know (an Argo Rollout).
    private mutating func customOwned(_ context: inout WorkloadContext) -> [JSONValue] {
        let prepared = makeTemplate(appName: context.name, kind: "Rollout")
        let hash = TemplateHash.hash(prepared.template.spec)
        let labels = Self.merged(prepared.template.labels, [("rollouts-pod-template-hash", hash)])
        var objects = disruptionBudget(context, selector: ["app": .string(context.name)])
        let owner = PodFactory.Owner(apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", name: context.name, uid: context.uid)
        let prefix = "\(context.name)-\(hash)-"
        objects.append(contentsOf: pods(context, prepared: prepared, labels: { _ in labels }, owner: owner,
                                        naming: { random, _ in (prefix + random.nameSuffix(), prefix) }))
        return objects
    }
}
