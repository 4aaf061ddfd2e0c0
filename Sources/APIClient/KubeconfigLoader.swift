import Foundation
import Transport
import Yams

/// Loads a kubeconfig the way kubectl does: `--kubeconfig`, else every file in `$KUBECONFIG`
/// (merged, first definition wins), else `~/.kube/config`; then the chosen or current context.
public enum KubeconfigLoader {
    public static func load(
        explicitPath: String? = nil, context: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ClusterConfig {
        try resolve(files(explicitPath: explicitPath, environment: environment), contextName: context)
    }

    /// Every context the kubeconfig defines, in file order, each name once (`--all-contexts`).
    public static func contextNames(
        explicitPath: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> [String] {
        var seen: Set<String> = []
        return try files(explicitPath: explicitPath, environment: environment)
            .flatMap { $0.file.contexts.map(\.name) }
            .filter { seen.insert($0).inserted }
    }

    /// The kubeconfig files in the order kubectl reads them, parsed.
    private static func files(explicitPath: String?, environment: [String: String]) throws -> [(path: String, file: KubeconfigFile)] {
        let paths: [String]
        if let explicitPath {
            paths = [explicitPath]
        } else if let list = environment["KUBECONFIG"], !list.isEmpty {
            paths = list.split(separator: ":").map(String.init).filter { FileManager.default.fileExists(atPath: $0) }
        } else {
            paths = [(environment["HOME"] ?? NSHomeDirectory()) + "/.kube/config"]
        }
        guard !paths.isEmpty else { throw ConfigError(field: "KUBECONFIG", problem: "none of the listed files exists") }
        return try paths.map { path in (path, try parse(path)) }
    }

    static func parse(_ path: String) throws -> KubeconfigFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(file: path, problem: "cannot read the kubeconfig: \(error.localizedDescription)")
        }
        do {
            return try decodeYAML(text)
        } catch let error as DecodingError {
            throw ConfigError(file: path, field: Self.field(of: error), problem: Self.problem(of: error))
        } catch {
            throw ConfigError(file: path, problem: "not valid YAML: \(error)")
        }
    }

    /// `YAMLDecoder.decode(_:from: String)` resolves tags with a regular expression for merge keys
    /// (`<<`), which compiles an ICU regex and maps a few MB of ICU code and data on every start.
    /// Every other scalar is a plain string either way, so a file without `<<` decodes the same
    /// through the regex-free basic resolver; one with a merge key still takes Yams' own path.
    static func decodeYAML(_ text: String) throws -> KubeconfigFile {
        guard !text.contains("<<") else { return try YAMLDecoder().decode(KubeconfigFile.self, from: text) }
        let parser = try Parser(yaml: text, resolver: .basic)
        // The parser owns the anchors that aliases point to: keep it alive while decoding.
        return try withExtendedLifetime(parser) {
            try YAMLDecoder().decode(KubeconfigFile.self, from: try parser.singleRoot() ?? "")
        }
    }

    static func resolve(_ files: [(path: String, file: KubeconfigFile)], contextName: String?) throws -> ClusterConfig {
        let origin = files.map(\.path).joined(separator: ":")
        guard let name = contextName ?? files.lazy.compactMap(\.file.currentContext).first(where: { !$0.isEmpty }) else {
            throw ConfigError(file: origin, field: "current-context", problem: "no current context is set (use --context)")
        }
        guard let (contextPath, context) = first(in: files, where: \.contexts, named: name, \.name, \.context) else {
            throw ConfigError(file: origin, field: "contexts", problem: "context \"\(name)\" is not defined")
        }
        guard let (clusterPath, cluster) = first(in: files, where: \.clusters, named: context.cluster, \.name, \.cluster) else {
            throw ConfigError(file: contextPath, field: "contexts[\(name)].context.cluster", problem: "cluster \"\(context.cluster)\" is not defined")
        }
        guard let server = cluster.server, !server.isEmpty else {
            throw ConfigError(file: clusterPath, field: "clusters[\(context.cluster)].cluster.server", problem: "missing")
        }
        var tls = TLSSettings(insecureSkipVerify: cluster.insecureSkipTLSVerify ?? false, serverName: cluster.tlsServerName)
        let clusterField = "clusters[\(context.cluster)].cluster"
        if let data = cluster.certificateAuthorityData {
            tls.certificateAuthority = .pem(try base64(data, file: clusterPath, field: "\(clusterField).certificate-authority-data"))
        } else if let file = cluster.certificateAuthority {
            tls.certificateAuthority = .file(try existing(file, relativeTo: clusterPath, field: "\(clusterField).certificate-authority"))
        }

        var token: TokenSource?
        if let userName = context.user, !userName.isEmpty {
            guard let (userPath, user) = first(in: files, where: \.users, named: userName, \.name, \.user) else {
                throw ConfigError(file: contextPath, field: "contexts[\(name)].context.user", problem: "user \"\(userName)\" is not defined")
            }
            let userField = "users[\(userName)].user"
            if user.hasExec || user.hasAuthProvider || user.hasBasicAuth {
                let kind = user.hasExec ? "exec" : user.hasAuthProvider ? "auth-provider" : "username/password"
                if user.token == nil && user.tokenFile == nil && user.clientCertificate == nil && user.clientCertificateData == nil {
                    throw ConfigError(file: userPath, field: "\(userField).\(kind)", problem: "this credential type is not supported; use a token, tokenFile or client certificate")
                }
            }
            if let value = user.token, !value.isEmpty {
                token = .fixed(value)
            } else if let file = user.tokenFile {
                token = .file(try existing(file, relativeTo: userPath, field: "\(userField).tokenFile"))
            }
            if let data = user.clientCertificateData {
                tls.clientCertificate = .pem(try base64(data, file: userPath, field: "\(userField).client-certificate-data"))
            } else if let file = user.clientCertificate {
                tls.clientCertificate = .file(try existing(file, relativeTo: userPath, field: "\(userField).client-certificate"))
            }
            if let data = user.clientKeyData {
                tls.clientKey = .pem(try base64(data, file: userPath, field: "\(userField).client-key-data"))
            } else if let file = user.clientKey {
                tls.clientKey = .file(try existing(file, relativeTo: userPath, field: "\(userField).client-key"))
            }
            if (tls.clientCertificate == nil) != (tls.clientKey == nil) {
                throw ConfigError(file: userPath, field: userField, problem: "client-certificate and client-key must be given together")
            }
        }
        let declared = context.namespace.flatMap { $0.isEmpty ? nil : $0 }
        var config = ClusterConfig(server: server, tls: tls, token: token, namespace: declared ?? "default", origin: "\(origin) (context \(name))")
        config.declaredNamespace = declared
        return config
    }

    private static func first<Entry, Value>(
        in files: [(path: String, file: KubeconfigFile)], where list: KeyPath<KubeconfigFile, [Entry]>,
        named name: String, _ entryName: KeyPath<Entry, String>, _ value: KeyPath<Entry, Value>
    ) -> (String, Value)? {
        for (path, file) in files {
            if let entry = file[keyPath: list].first(where: { $0[keyPath: entryName] == name }) {
                return (path, entry[keyPath: value])
            }
        }
        return nil
    }

    private static func base64(_ text: String, file: String, field: String) throws -> [UInt8] {
        let compact = text.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: compact), !data.isEmpty else {
            throw ConfigError(file: file, field: field, problem: "not valid base64")
        }
        return Array(data)
    }

    private static func existing(_ path: String, relativeTo kubeconfig: String, field: String) throws -> String {
        let resolved = path.hasPrefix("/") ? path : (kubeconfig as NSString).deletingLastPathComponent + "/" + path
        guard FileManager.default.isReadableFile(atPath: resolved) else {
            throw ConfigError(file: kubeconfig, field: field, problem: "\(resolved) does not exist or is not readable")
        }
        return resolved
    }

    private static func field(of error: DecodingError) -> String? {
        let path: [any CodingKey]
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): path = c.codingPath
        case .keyNotFound(let key, let c): path = c.codingPath + [key]
        @unknown default: return nil
        }
        return path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    private static func problem(of error: DecodingError) -> String {
        switch error {
        case .typeMismatch(let type, _): return "has the wrong type (expected \(type))"
        case .valueNotFound: return "missing value"
        case .keyNotFound: return "missing"
        case .dataCorrupted(let c): return c.debugDescription
        @unknown default: return "invalid"
        }
    }
}
