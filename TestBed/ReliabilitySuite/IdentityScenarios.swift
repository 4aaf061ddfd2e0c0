import Foundation
import HTTPServer
import KubeSim

/// The controller's identity changes under it: token rotated, token revoked, CA bundle rotated.
enum IdentityScenarios {
    static func tokenRotation(_ load: LoadProfile) async throws -> ScenarioRow {
        let run = try ScenarioRun(name: "token-symlink-rotation", faults: "3 token rotations by ..data swap", load: load)
        let sim = run.harness.sim
        var tokens = ProjectedTokenDirectory(root: run.harness.directory.appendingPathComponent("sa"))
        var current = "warden-token-0"
        sim.addToken(current, user: "system:serviceaccount:token-warden:token-warden", rules: nil)
        try tokens.publish(current)
        var options = run.options
        options.tokenFile = tokens.tokenPath
        try run.start(options)
        if await run.waitForFirstRestart() {
            run.faultInjected()
            for generation in 1...3 {
                // The kubelet's order: the new token is valid before the file changes; the old
                // one stays valid a while after (here: 300 ms), then is gone.
                let next = "warden-token-\(generation)"
                sim.addToken(next, user: "system:serviceaccount:token-warden:token-warden", rules: nil)
                try tokens.publish(next)
                try await Task.sleep(for: .milliseconds(300))
                sim.revokeToken(current)
                current = next
                try await Task.sleep(for: .milliseconds(700))
            }
        }
        let row = await run.finish()
        var checked = row
        let unauthorized = run.harness.responses(code: 401)
        if unauthorized > 0 { checked.failures.append("\(unauthorized) requests got 401 across rotations") }
        return checked
    }

    static func tokenRevoked(_ load: LoadProfile) async throws -> ScenarioRow {
        let run = try ScenarioRun(name: "token-revoked", faults: "token revoked, new token 3 s later", load: load)
        let sim = run.harness.sim
        var tokens = ProjectedTokenDirectory(root: run.harness.directory.appendingPathComponent("sa"))
        sim.addToken("warden-token-a", user: "system:serviceaccount:token-warden:token-warden", rules: nil)
        try tokens.publish("warden-token-a")
        var options = run.options
        options.tokenFile = tokens.tokenPath
        let replica = try run.start(options)
        if await run.waitForFirstRestart() {
            run.faultInjected()
            sim.revokeToken("warden-token-a")
            sim.restart()  // open watches were authenticated at their start; make them reconnect
            let dropped = await run.harness.wait(seconds: 10) { !replica.runtime.health.isReady }
            run.check(dropped, "readiness did not drop after the token was revoked")
            // The reconnecting watches mark the caches unsynced a moment before their relist
            // comes back 401: the check reports both, the 401 shortly after the drop.
            var problems = ""
            let named = await run.harness.wait(seconds: 10) {
                problems = replica.runtime.health.checks().compactMap(\.problem).joined(separator: "; ")
                return problems.contains("401") || replica.runtime.health.isReady
            }
            run.check(!dropped || (named && problems.contains("401")), "readiness problem does not name the 401: \(problems)")
            try await Task.sleep(for: .seconds(2))
            sim.addToken("warden-token-b", user: "system:serviceaccount:token-warden:token-warden", rules: nil)
            try tokens.publish("warden-token-b")
            let recovered = await run.harness.wait(seconds: 20) { replica.runtime.health.isReady }
            run.check(recovered, "readiness did not recover with a valid token")
        }
        return await run.finish()
    }

    static func certificateAuthorityRotated(_ load: LoadProfile) async throws -> ScenarioRow {
        let run = try ScenarioRun(name: "ca-file-rotated", faults: "CA file replaced by a 2-CA bundle + reconnect", load: load)
        guard let pem = run.harness.sim.certificateAuthorityPEM else { preconditionFailure("the simulated server serves TLS") }
        let path = run.harness.directory.appendingPathComponent("ca.crt").path
        try replaceAtomically(path: path, contents: pem)
        var options = run.options
        options.certificateAuthorityFile = path
        let replica = try run.start(options)
        if await run.waitForFirstRestart() {
            run.faultInjected()
            // A rotation bundle: the next CA first, the current one still trusted.
            let next = try CertificateAuthority.generate(commonName: "next-ca")
            try replaceAtomically(path: path, contents: next.certificatePEM + "\n" + pem)
            run.harness.sim.restart()  // every connection is new: each handshake reads the new file
            try await Task.sleep(for: .seconds(1))
            run.check(replica.runtime.health.isReady, "not ready after the CA bundle changed")
        }
        return await run.finish()
    }
}
