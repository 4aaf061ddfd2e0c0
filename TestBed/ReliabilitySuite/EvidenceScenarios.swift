import Controller
import Evidence
import Foundation
import HTTPServer
import KubeSim
import Synchronization
import Transport

/// Bad input on the audit webhook: forged batches from clients without valid credentials.
enum EvidenceScenarios {
    /// During the rollouts of a loaded cluster, a client that reaches the webhook port posts forged
    /// batches 100 times a second — no credentials, a wrong token, a certificate from another CA —
    /// naming real healthy pods with tokens far past their warn-after. None may cause a restart
    /// (finish() fails on any restart outside the at-risk set) or leave any evidence.
    static func forgedBatches(_ load: LoadProfile) async throws -> ScenarioRow {
        let run = try ScenarioRun(name: "forged-audit-batches", faults: "unauthenticated batches 100/s naming healthy pods", load: load)
        let directory = run.harness.directory
        let serving = try CertificateAuthority.generate(commonName: "webhook-serving")
        let identity = try serving.issueServerIdentity(hosts: ["127.0.0.1"])
        let clientCA = try CertificateAuthority.generate(commonName: "webhook-clients")
        func write(_ text: String, _ name: String) throws -> String {
            let path = directory.appendingPathComponent(name).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        var options = run.options
        options.auditWebhook = AuditWebhookSettings(
            address: "127.0.0.1:0", certificateFile: try write(identity.certificatePEM, "tls.crt"),
            privateKeyFile: try write(identity.privateKeyPEM, "tls.key"), clientCAFile: try write(clientCA.certificatePEM, "ca.crt"),
            tokenFile: try write("the-real-token", "token"))
        let replica = try run.start(options)
        let ready = await run.harness.wait(seconds: 20) { replica.runtime.auditWebhook.map { $0.port > 0 } == true }
        run.check(ready, "the webhook did not start")
        let port = replica.runtime.auditWebhook?.port ?? 0

        // Real healthy pods, named as the API server would name them.
        let victims = run.harness.sim.store.objects(ResourceCatalog.pods).filter { $0.name.hasPrefix("fine-") }.prefix(20)
        let items = victims.map { pod in
            #"{"level":"Metadata","auditID":"\#(UUID().uuidString)","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/\#(pod.namespace)/configmaps","verb":"list","user":{"username":"system:serviceaccount:\#(pod.namespace):default","groups":["system:serviceaccounts"],"extra":{"authentication.kubernetes.io/pod-name":["\#(pod.name)"],"authentication.kubernetes.io/pod-uid":["\#(pod.uid)"]}},"responseStatus":{"metadata":{},"code":200},"annotations":{"authentication.k8s.io/stale-token":"subject: system:serviceaccount:\#(pod.namespace):default, seconds after warning threshold: 31000000"}}"#
        }.joined(separator: ",")
        let forged = Array(#"{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":[\#(items)]}"#.utf8)
        let stranger = try CertificateAuthority.generate(commonName: "someone-else").issueClientIdentity(commonName: "kube-apiserver", organizations: [])
        let trustServer = TLSSettings.Source.pem(Array(serving.certificatePEM.utf8))
        let clients = [
            (CurlTransport(tls: TLSSettings(certificateAuthority: trustServer)), nil as String?),
            (CurlTransport(tls: TLSSettings(certificateAuthority: trustServer)), "guessed-token"),
            (CurlTransport(tls: TLSSettings(certificateAuthority: trustServer, clientCertificate: .pem(Array(stranger.certificatePEM.utf8)),
                                            clientKey: .pem(Array(stranger.privateKeyPEM.utf8)))), nil),
        ]
        let tally = ForgeryTally()
        // Four senders, 25 a second each on a fixed schedule: 100 a second together.
        let forgers = (0..<4).map { sender in
            Task {
                let (client, token) = clients[sender % clients.count]
                var headers = [("Content-Type", "application/json")]
                if let token { headers.append(("Authorization", "Bearer \(token)")) }
                let start = ContinuousClock.now
                var sent = 0
                while !Task.isCancelled {
                    do {
                        let reply = try await client.send(TransportRequest(method: "POST", url: "https://127.0.0.1:\(port)/audit", headers: headers, body: forged))
                        if reply.status == 401 { tally.refused.add(1, ordering: .relaxed) } else { tally.accepted.add(1, ordering: .relaxed) }
                    } catch {
                        // No answer (the replica is stopping at the end): nothing to count.
                    }
                    sent += 1
                    do { try await Task.sleep(until: start + .milliseconds(40 * sent)) } catch { return }
                }
            }
        }
        let forgingStarted = ContinuousClock.now
        if await run.waitForFirstRestart() { run.faultInjected() }
        let row = await run.finish()
        let forgingSeconds = Double((ContinuousClock.now - forgingStarted).components.seconds)
        for forger in forgers { forger.cancel() }
        for forger in forgers { _ = await forger.value }
        var checked = row
        let evidence = replica.runtime.evidence.snapshot().count
        if evidence > 0 { checked.failures.append("\(evidence) pods recorded as evidence from forged batches") }
        let annotated = run.harness.sim.store.objects(ResourceCatalog.pods).filter {
            $0.value.value(at: ["metadata", "annotations", "token-warden.dev/stale-token-issued-at"]) != nil
        }.count
        if annotated > 0 { checked.failures.append("\(annotated) pods carry forged evidence") }
        let rejected = tally.refused.load(ordering: .relaxed), taken = tally.accepted.load(ordering: .relaxed)
        if rejected < 50 { checked.failures.append("only \(rejected) forged batches were answered") }
        if taken > 0 { checked.failures.append("\(taken) forged batches were answered with something else than 401") }
        let rate = Int((Double(rejected) / max(1, forgingSeconds)).rounded())
        checked.faults = "\(rejected) unauthenticated batches (\(rate)/s) naming healthy pods, all 401"
        return checked
    }
}
