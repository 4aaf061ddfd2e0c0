import Foundation

/// Turns a bare pod's own JSON into the manifest that creates it again, as
/// `kubectl replace --force` does (delete, then create what was read).
///
/// kubectl sends the object back with only `resourceVersion` cleared and lets the API server
/// reset the rest; this clears every server-owned field explicitly instead, so the request is
/// the same against any server: `status`, `metadata.uid`, `resourceVersion`, `creationTimestamp`,
/// `deletionTimestamp`, `deletionGracePeriodSeconds`, `generation`, `managedFields`, `selfLink`.
/// `spec.ephemeralContainers` is dropped too (the API server refuses them on create; they are
/// debugging sessions of the old pod). `spec.nodeName` is kept, as kubectl keeps it: the new pod
/// runs on the same node. The restart-state annotations are added.
enum PodManifest {
    static let serverOwnedMetadata = [
        "uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
        "generation", "managedFields", "selfLink",
    ]

    struct Source {
        var manifest: RawJSON
        var uid: String?
        var hasController: Bool
        /// `spec.terminationGracePeriodSeconds` (30 when unset, the API default).
        var gracePeriodSeconds: Int64
    }

    static func read(_ bytes: [UInt8]) throws -> Source {
        let json = try JSONDecoder().decode(RawJSON.self, from: Data(bytes))
        let owners: [RawJSON]
        if case .array(let list)? = json["metadata"]?["ownerReferences"] { owners = list } else { owners = [] }
        let hasController = owners.contains { $0["controller"] == .bool(true) }
        return Source(
            manifest: json, uid: json["metadata"]?["uid"]?.stringValue, hasController: hasController,
            gracePeriodSeconds: json["spec"]?["terminationGracePeriodSeconds"]?.intValue ?? 30)
    }

    static func recreation(of pod: RawJSON, annotations: [String: String]) -> RawJSON {
        var pod = pod
        pod["status"] = nil
        if var metadata = pod["metadata"] {
            for key in serverOwnedMetadata { metadata[key] = nil }
            var merged: [String: RawJSON] = [:]
            if case .object(let existing)? = metadata["annotations"] { merged = existing }
            for (key, value) in annotations { merged[key] = .string(value) }
            metadata["annotations"] = .object(merged)
            pod["metadata"] = metadata
        }
        if var spec = pod["spec"] {
            spec["ephemeralContainers"] = nil
            pod["spec"] = spec
        }
        return pod
    }
}
