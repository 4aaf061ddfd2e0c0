import Assess
import Testing

/// One way to find the controller's own pod: its token's claims first, HOSTNAME in the
/// configuration's namespace when the token names no pod.
@Suite struct ControllerPodTests {
    @Test func theTokensClaimsComeFirst() throws {
        let token = try ClusterTokenLifetimeTests.jwt(ClusterTokenLifetimeTests.boundClaims(lifetime: 31_536_000, warnAfter: true))
        // The pod may set its own hostname: the claims still name the pod.
        let pod = ControllerPod.resolve(token: token, hostname: "custom-hostname", namespace: "elsewhere")
        #expect(pod == ObjectRef(kind: "Pod", namespace: "token-warden", name: "token-warden-5d9c7-abcde", uid: "pod-uid-1"))
        // The lifetime detection names the same pod.
        #expect(ClusterTokenLifetimeDetector.detect(token: token).ownPod == pod)
    }

    @Test func hostnameIsTheFallback() throws {
        let legacy = try ClusterTokenLifetimeTests.jwt([
            "iss": "kubernetes/serviceaccount", "kubernetes.io/serviceaccount/secret.name": "default-token-abcde",
        ])
        #expect(ControllerPod.resolve(token: legacy, hostname: "token-warden-0", namespace: "token-warden")
            == ObjectRef(kind: "Pod", namespace: "token-warden", name: "token-warden-0"))
        #expect(ControllerPod.resolve(token: "not a jwt", hostname: "token-warden-0", namespace: "token-warden")?.name == "token-warden-0")
        #expect(ControllerPod.resolve(token: nil, hostname: "token-warden-0", namespace: "token-warden")?.name == "token-warden-0")
        #expect(ControllerPod.resolve(token: nil, hostname: "token-warden-0", namespace: "") == nil)
        #expect(ControllerPod.resolve(token: nil, hostname: nil, namespace: "token-warden") == nil)
    }
}
