import Foundation
import Testing
import TestSupport

@testable import KubeSim

@Suite struct ClusterGeneratorTests {
    private let now = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func specParsesTheDocumentedExample() throws {
        let spec = try GenerateSpec.parse("pods=10000,namespaces=50,started=30%:300d-365d,60%:0d-200d,10%:200d-300d,podsize=10k,seed=1")
        #expect(spec.pods == 10000)
        #expect(spec.namespaces == 50)
        #expect(spec.podSize == 10_000)
        #expect(spec.seed == 1)
        #expect(spec.started.map(\.fraction) == [0.3, 0.6, 0.1])
        #expect(spec.started[0].minimumAge == 300 * 86_400 && spec.started[0].maximumAge == 365 * 86_400)
        #expect(try GenerateSpec.parse(spec.description) == spec)
        let mixed = try GenerateSpec.parse("mix=deployment:1,rc:1,custom:2,replicas=2-4,pdb=50%")
        #expect(mixed.mix.map(\.kind) == [.deployment, .replicationcontroller, .custom])
        #expect(mixed.replicas == 2...4)
        #expect(mixed.pdbFraction == 0.5)
    }

    @Test(arguments: ["pods=x", "started=50%:1d-2d", "mix=unicorn:3", "bogus=1", "podsize=big", "started=100%:5d-1d", "pods"])
    func specRejectsNonsense(_ text: String) {
        #expect(throws: GenerateSpec.ParseError.self) { try GenerateSpec.parse(text) }
    }

    @Test func sameSeedSameCluster() throws {
        let spec = try GenerateSpec.parse("pods=300,namespaces=5,seed=7")
        let first = ClusterGenerator.objects(spec: spec, now: now)
        let second = ClusterGenerator.objects(spec: spec, now: now)
        #expect(first.count == second.count)
        #expect(JSONSerializer.serialize(.array(first)) == JSONSerializer.serialize(.array(second)))
        let other = ClusterGenerator.objects(spec: try GenerateSpec.parse("pods=300,namespaces=5,seed=8"), now: now)
        #expect(JSONSerializer.serialize(.array(first)) != JSONSerializer.serialize(.array(other)))
    }

    @Test func historyZeroGivesEachDeploymentOnlyItsCurrentReplicaSet() throws {
        let objects = ClusterGenerator.objects(spec: try GenerateSpec.parse("pods=400,namespaces=4,mix=deployment:1,history=0,seed=3"), now: now)
        let deployments = objects.filter { $0["kind"] == "Deployment" }
        #expect(!deployments.isEmpty)
        #expect(deployments.allSatisfy { $0.value(at: ["spec", "revisionHistoryLimit"]) == 0 })
        #expect(objects.filter { $0["kind"] == "ReplicaSet" }.count == deployments.count)
        let defaults = ClusterGenerator.objects(spec: try GenerateSpec.parse("pods=400,namespaces=4,mix=deployment:1,seed=3"), now: now)
        #expect(defaults.filter { $0["kind"] == "ReplicaSet" }.count > defaults.filter { $0["kind"] == "Deployment" }.count,
                "by default some Deployments keep an old revision")
    }

    @Test func podCountStartDistributionAndSize() throws {
        let spec = try GenerateSpec.parse("pods=2000,namespaces=20,started=30%:300d-365d,60%:0d-200d,10%:200d-300d,seed=1")
        var pods = 0
        var bytes = 0
        var bands = [0, 0, 0]
        var kinds = Set<String>()
        var ownerKinds = Set<String>()
        let nowSeconds = Int64(now.timeIntervalSince1970)
        ClusterGenerator.generate(spec: spec, now: now, batchSize: 500) { batch in
            for object in batch {
                let kind = object["kind"]?.stringValue ?? ""
                kinds.insert(kind)
                guard kind == "Pod" else { continue }
                pods += 1
                bytes += JSONSerializer.serialize(object).count
                ownerKinds.insert(object.value(at: ["metadata", "ownerReferences"])?[0]?["kind"]?.stringValue ?? "none")
                let start = RFC3339.parse(object.value(at: ["status", "startTime"])?.stringValue ?? "") ?? 0
                let days = (nowSeconds - start) / 86_400
                bands[days >= 300 ? 0 : days < 200 ? 1 : 2] += 1
            }
        }
        #expect(pods == 2000)
        let fractions = bands.map { Double($0) / Double(pods) }
        #expect(abs(fractions[0] - 0.3) < 0.035 && abs(fractions[1] - 0.6) < 0.035 && abs(fractions[2] - 0.1) < 0.035, "\(fractions)")
        let average = bytes / pods
        #expect((8_000...15_000).contains(average), "average pod size \(average)")
        #expect(kinds.isSuperset(of: ["Namespace", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "ReplicationController",
                                      "Job", "PodDisruptionBudget", "Pod"]))
        #expect(ownerKinds.isSuperset(of: ["ReplicaSet", "StatefulSet", "DaemonSet", "ReplicationController", "Job", "Rollout", "none"]))
    }

    @Test func heavyShapeIsAbout40KB() throws {
        var pods = 0
        var bytes = 0
        for object in ClusterGenerator.objects(spec: try GenerateSpec.parse("pods=200,podsize=40k,seed=2"), now: now)
        where object["kind"]?.stringValue == "Pod" {
            pods += 1
            bytes += JSONSerializer.serialize(object).count
        }
        #expect((32_000...48_000).contains(bytes / pods), "average \(bytes / pods)")
    }

    @Test func podsCarryTheAdmissionTokenVolumeLikeTheGoldenPod() throws {
        let golden = try JSONParser.parse([UInt8](Fixtures.golden("objects/pod.json")))
        let goldenSources = golden.value(at: ["spec", "volumes"])?[0]?.value(at: ["projected", "sources"])?.arrayValue ?? []
        let objects = ClusterGenerator.objects(spec: try GenerateSpec.parse("pods=100,noautomount=0%,legacytoken=0%,seed=3"), now: now)
        var checked = 0
        for pod in objects where pod["kind"]?.stringValue == "Pod" {
            let volumes = pod.value(at: ["spec", "volumes"])?.arrayValue ?? []
            guard let token = volumes.first(where: { $0["name"]?.stringValue?.hasPrefix("kube-api-access-") == true }) else {
                Issue.record("pod without kube-api-access volume")
                continue
            }
            // Upstream's three sources, exactly as the golden pod has them (it adds an OpenShift fourth).
            #expect(Array(goldenSources.prefix(3)) == token.value(at: ["projected", "sources"])?.arrayValue)
            #expect(token.value(at: ["projected", "defaultMode"]) == 420)
            let volumeName = token["name"]?.stringValue
            for container in pod.value(at: ["spec", "containers"])?.arrayValue ?? [] {
                let mount = container["volumeMounts"]?.arrayValue?.last
                #expect(mount?["name"]?.stringValue == volumeName)
                #expect(mount?["mountPath"]?.stringValue == "/var/run/secrets/kubernetes.io/serviceaccount")
            }
            #expect(pod.value(at: ["spec", "serviceAccountName"])?.stringValue != nil)
            if pod.value(at: ["status", "phase"])?.stringValue == "Running" {
                let started = pod.value(at: ["status", "containerStatuses"])?[0]?.value(at: ["state", "running", "startedAt"])?.stringValue
                #expect(started.flatMap(RFC3339.parse) != nil)
            }
            checked += 1
        }
        #expect(checked == 100)
    }

    @Test func timestampsRoundTrip() {
        #expect(RFC3339.format(unixSeconds: 0) == "1970-01-01T00:00:00Z")
        #expect(RFC3339.format(unixSeconds: 1_795_000_000) == "2026-11-18T11:06:40Z")
        #expect(RFC3339.parse("2026-11-23T18:36:59Z") == 1_795_459_019)
        #expect(RFC3339.parse("2026-11-23T19:36:59+01:00") == 1_795_459_019)
        #expect(RFC3339.parse("2026-11-23T18:36:59.123456Z") == 1_795_459_019)
        #expect(RFC3339.parse("yesterday") == nil)
    }
}
