import Foundation

/// A kubeconfig for the simulated API server: one cluster (with the CA inline), one token user.
public enum Kubeconfig {
    public static func yaml(server: String, certificateAuthorityPEM: String?, token: String,
                            user: String = "kube-sim-admin", namespace: String? = nil,
                            clusterName: String = "kube-sim") -> String {
        var lines = [
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: \(clusterName)",
            "  cluster:",
            "    server: \(server)",
        ]
        if let certificateAuthorityPEM {
            lines.append("    certificate-authority-data: \(Data(certificateAuthorityPEM.utf8).base64EncodedString())")
        }
        lines += [
            "contexts:",
            "- name: \(clusterName)",
            "  context:",
            "    cluster: \(clusterName)",
            "    user: \(user)",
        ]
        if let namespace { lines.append("    namespace: \(namespace)") }
        lines += [
            "current-context: \(clusterName)",
            "users:",
            "- name: \(user)",
            "  user:",
            "    token: \(token)",
            "preferences: {}",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
