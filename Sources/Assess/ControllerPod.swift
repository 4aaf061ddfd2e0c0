import KubeModel

/// Which pod the controller runs in, found one way for everything that needs it (the audit
/// batch time on its own pod, the evidence fail-safe, the `TokenExtensionOff` Event): the claims
/// of its projected token first (`kubernetes.io.pod.name`/`uid` and `kubernetes.io.namespace`,
/// which the API server binds), else HOSTNAME — the pod's name unless the pod sets `hostname` —
/// with the namespace of its in-cluster configuration. Pure.
public enum ControllerPod {
    /// The pod a bound token names; nil for a token not bound to a pod (legacy Secret, TokenRequest without a pod).
    public static func fromClaims(_ claims: ServiceAccountTokenClaims) -> ObjectRef? {
        guard let bound = claims.kubernetes, let pod = bound.pod, let name = pod.name, !name.isEmpty,
              let namespace = bound.namespace, !namespace.isEmpty
        else { return nil }
        return ObjectRef(kind: "Pod", namespace: namespace, name: name, uid: pod.uid)
    }

    /// - Parameters:
    ///   - token: the text of the controller's own token (never logged), nil without one.
    ///   - hostname: `HOSTNAME`; `namespace`: the in-cluster configuration's namespace.
    public static func resolve(token: String?, hostname: String?, namespace: String?) -> ObjectRef? {
        if let token {
            do {
                if let pod = fromClaims(try ServiceAccountTokenClaims.decode(jwt: token)) { return pod }
            } catch {
                // Not a JWT we can read (a custom token): HOSTNAME decides, as documented.
            }
        }
        guard let hostname, !hostname.isEmpty, let namespace, !namespace.isEmpty else { return nil }
        return ObjectRef(kind: "Pod", namespace: namespace, name: hostname)
    }
}
