import Foundation

/// What controllers read from pods and selectors (pure helpers over JSON).
enum PodFacts {
    static func phase(_ pod: JSONValue) -> String { pod.value(at: ["status", "phase"])?.stringValue ?? "Pending" }

    static func isTerminating(_ pod: JSONValue) -> Bool { pod.value(at: ["metadata", "deletionTimestamp"]) != nil }

    /// Counts towards a controller's replicas: not terminal, not being deleted.
    static func isActive(_ pod: JSONValue) -> Bool {
        let phase = phase(pod)
        return phase != "Succeeded" && phase != "Failed" && !isTerminating(pod)
    }

    /// Running with the Ready condition True.
    static func isReady(_ pod: JSONValue) -> Bool {
        guard phase(pod) == "Running", !isTerminating(pod) else { return false }
        for condition in pod.value(at: ["status", "conditions"])?.arrayValue ?? []
        where condition["type"]?.stringValue == "Ready" {
            return condition["status"]?.stringValue == "True"
        }
        return false
    }

    /// The controlling owner reference (controller: true).
    static func controllerReference(_ object: JSONValue) -> JSONValue? {
        object.value(at: ["metadata", "ownerReferences"])?.arrayValue?.first { $0["controller"]?.boolValue == true }
    }

    static func controllerUID(_ object: JSONValue) -> String? {
        controllerReference(object)?["uid"]?.stringValue
    }

    static func labels(_ object: JSONValue) -> [String: String] {
        var result: [String: String] = [:]
        if let labels = object.value(at: ["metadata", "labels"])?.objectValue {
            for (key, value) in zip(labels.keys, labels.values) { result[key] = value.stringValue ?? "" }
        }
        return result
    }

    /// A metav1.LabelSelector (`matchLabels`, `matchExpressions`) or, for a
    /// ReplicationController, a plain map. An empty selector matches everything; nil nothing.
    static func matches(selector: JSONValue?, labels: [String: String], plainMap: Bool = false) -> Bool {
        guard let selector, case .object(let object) = selector else { return false }
        if plainMap {
            return zip(object.keys, object.values).allSatisfy { labels[$0.0] == $0.1.stringValue }
        }
        if let matchLabels = object["matchLabels"]?.objectValue {
            for (key, value) in zip(matchLabels.keys, matchLabels.values) where labels[key] != value.stringValue {
                return false
            }
        }
        for expression in object["matchExpressions"]?.arrayValue ?? [] {
            let key = expression["key"]?.stringValue ?? ""
            let values = (expression["values"]?.arrayValue ?? []).compactMap(\.stringValue)
            switch expression["operator"]?.stringValue {
            case "In": if !(labels[key].map(values.contains) ?? false) { return false }
            case "NotIn": if labels[key].map(values.contains) ?? false { return false }
            case "Exists": if labels[key] == nil { return false }
            case "DoesNotExist": if labels[key] != nil { return false }
            default: return false
            }
        }
        return true
    }

    /// A pod for a controller, from its template (admission adds the token volume on create).
    static func newPod(template: JSONValue?, namespace: String, name: String? = nil, generateName: String? = nil,
                       owner: (apiVersion: String, kind: String, name: String, uid: String),
                       extraLabels: [(String, String)] = [], nodeName: String? = nil) -> JSONValue {
        var metadata = JSONObject()
        if let name { metadata["name"] = .string(name) }
        if let generateName { metadata["generateName"] = .string(generateName) }
        metadata["namespace"] = .string(namespace)
        var labels = template?.value(at: ["metadata", "labels"])?.objectValue ?? JSONObject()
        for (key, value) in extraLabels { labels[key] = .string(value) }
        metadata["labels"] = .object(labels)
        if let annotations = template?.value(at: ["metadata", "annotations"]) { metadata["annotations"] = annotations }
        metadata["ownerReferences"] = [[
            "apiVersion": .string(owner.apiVersion), "kind": .string(owner.kind), "name": .string(owner.name),
            "uid": .string(owner.uid), "controller": true, "blockOwnerDeletion": true,
        ]]
        var spec = template?["spec"] ?? [:]
        if let nodeName { spec["nodeName"] = .string(nodeName) }
        return ["kind": "Pod", "apiVersion": "v1", "metadata": .object(metadata), "spec": spec,
                "status": ["phase": "Pending", "qosClass": "BestEffort"]]
    }

    /// The template with the label a controller adds removed (to compare templates).
    static func templateIgnoring(label: String, in template: JSONValue?) -> JSONValue {
        var copy = template ?? [:]
        copy.remove(at: ["metadata", "labels", label])
        if copy.value(at: ["metadata", "labels"])?.objectValue?.isEmpty == true { copy.remove(at: ["metadata", "labels"]) }
        return copy
    }

    static func int(_ value: JSONValue?, default defaultValue: Int) -> Int {
        value?.intValue.map { Int($0) } ?? defaultValue
    }

    static func timestamp(_ date: Date) -> String {
        RFC3339.format(unixSeconds: Int64(date.timeIntervalSince1970.rounded(.down)))
    }
}
