import Foundation

/// Server-side printing (meta.k8s.io/v1 Table), what `kubectl get` asks for with `as=Table`.
/// Pods, Deployments, Namespaces, Events and Argo Rollouts get their usual columns; other kinds the default
/// Name / Created At pair of the API server's default table convertor.
enum TableRenderer {
    struct Column {
        var name: String
        var type = "string"
        var format = ""
        var priority = 0
    }

    static func columns(for type: ResourceType) -> [Column] {
        switch type.storageKey {
        case "pods":
            return [Column(name: "Name", format: "name"), Column(name: "Ready"), Column(name: "Status"),
                    Column(name: "Restarts"), Column(name: "Age"), Column(name: "IP", priority: 1),
                    Column(name: "Node", priority: 1), Column(name: "Nominated Node", priority: 1),
                    Column(name: "Readiness Gates", priority: 1)]
        case "apps/deployments":
            return [Column(name: "Name", format: "name"), Column(name: "Ready"), Column(name: "Up-to-date", type: "integer"),
                    Column(name: "Available", type: "integer"), Column(name: "Age"),
                    Column(name: "Containers", priority: 1), Column(name: "Images", priority: 1),
                    Column(name: "Selector", priority: 1)]
        case "namespaces":
            return [Column(name: "Name", format: "name"), Column(name: "Status"), Column(name: "Age")]
        case "apps/replicasets", "replicationcontrollers":
            return [Column(name: "Name", format: "name"), Column(name: "Desired", type: "integer"),
                    Column(name: "Current", type: "integer"), Column(name: "Ready", type: "integer"), Column(name: "Age"),
                    Column(name: "Containers", priority: 1), Column(name: "Images", priority: 1),
                    Column(name: "Selector", priority: 1)]
        case "apps/statefulsets":
            return [Column(name: "Name", format: "name"), Column(name: "Ready"), Column(name: "Age"),
                    Column(name: "Containers", priority: 1), Column(name: "Images", priority: 1)]
        case "apps/daemonsets":
            return [Column(name: "Name", format: "name"), Column(name: "Desired", type: "integer"),
                    Column(name: "Current", type: "integer"), Column(name: "Ready", type: "integer"),
                    Column(name: "Up-to-date", type: "integer"), Column(name: "Available", type: "integer"),
                    Column(name: "Node Selector"), Column(name: "Age"), Column(name: "Containers", priority: 1),
                    Column(name: "Images", priority: 1), Column(name: "Selector", priority: 1)]
        case "argoproj.io/rollouts":  // the CRD's additionalPrinterColumns
            return [Column(name: "Name", format: "name"), Column(name: "Desired", type: "integer"),
                    Column(name: "Current", type: "integer"), Column(name: "Up-to-date", type: "integer"),
                    Column(name: "Available", type: "integer"), Column(name: "Age")]
        case "batch/jobs":
            return [Column(name: "Name", format: "name"), Column(name: "Status"), Column(name: "Completions"),
                    Column(name: "Duration"), Column(name: "Age")]
        case "policy/poddisruptionbudgets":
            return [Column(name: "Name", format: "name"), Column(name: "Min Available"), Column(name: "Max Unavailable"),
                    Column(name: "Allowed Disruptions", type: "integer"), Column(name: "Age")]
        case "coordination.k8s.io/leases":
            return [Column(name: "Name", format: "name"), Column(name: "Holder"), Column(name: "Age")]
        case "events", "events.k8s.io/events":
            return [Column(name: "Last Seen"), Column(name: "Type"), Column(name: "Reason"), Column(name: "Object"),
                    Column(name: "Message")]
        default:
            return [Column(name: "Name", format: "name"), Column(name: "Created At", type: "date")]
        }
    }

    static func cells(for object: JSONValue, type: ResourceType, now: Date) -> [JSONValue] {
        let metadata = object["metadata"]
        let name = JSONValue.string(metadata?["name"]?.stringValue ?? "")
        let created = metadata?["creationTimestamp"]?.stringValue ?? ""
        let age = JSONValue.string(humanAge(since: created, now: now))
        switch type.storageKey {
        case "pods":
            return podCells(object, name: name, age: age)
        case "apps/deployments":
            let spec = object["spec"]
            let status = object["status"]
            let replicas = spec?["replicas"]?.intValue ?? 1
            let ready = status?["readyReplicas"]?.intValue ?? 0
            let containers = spec?.value(at: ["template", "spec", "containers"])?.arrayValue ?? []
            let selector = (spec?.value(at: ["selector", "matchLabels"])?.objectValue).map { labels in
                zip(labels.keys, labels.values).map { "\($0)=\($1.stringValue ?? "")" }.joined(separator: ",")
            } ?? ""
            return [name, .string("\(ready)/\(replicas)"), .int(status?["updatedReplicas"]?.intValue ?? 0),
                    .int(status?["availableReplicas"]?.intValue ?? 0), age,
                    .string(containers.compactMap { $0["name"]?.stringValue }.joined(separator: ",")),
                    .string(containers.compactMap { $0["image"]?.stringValue }.joined(separator: ",")),
                    .string(selector)]
        case "namespaces":
            return [name, .string(object.value(at: ["status", "phase"])?.stringValue ?? "Active"), age]
        case "apps/replicasets", "replicationcontrollers":
            let template = object.value(at: ["spec", "template", "spec", "containers"])?.arrayValue ?? []
            let selector = object.value(at: ["spec", "selector", "matchLabels"]) ?? object.value(at: ["spec", "selector"])
            return [name, .int(object.value(at: ["spec", "replicas"])?.intValue ?? 1),
                    .int(object.value(at: ["status", "replicas"])?.intValue ?? 0),
                    .int(object.value(at: ["status", "readyReplicas"])?.intValue ?? 0), age,
                    .string(template.compactMap { $0["name"]?.stringValue }.joined(separator: ",")),
                    .string(template.compactMap { $0["image"]?.stringValue }.joined(separator: ",")),
                    .string(labelText(selector))]
        case "apps/statefulsets":
            let template = object.value(at: ["spec", "template", "spec", "containers"])?.arrayValue ?? []
            return [name, .string("\(object.value(at: ["status", "readyReplicas"])?.intValue ?? 0)/\(object.value(at: ["spec", "replicas"])?.intValue ?? 1)"),
                    age, .string(template.compactMap { $0["name"]?.stringValue }.joined(separator: ",")),
                    .string(template.compactMap { $0["image"]?.stringValue }.joined(separator: ","))]
        case "apps/daemonsets":
            let status = object["status"]
            let template = object.value(at: ["spec", "template", "spec", "containers"])?.arrayValue ?? []
            let nodeSelector = labelText(object.value(at: ["spec", "template", "spec", "nodeSelector"]))
            return [name, .int(status?["desiredNumberScheduled"]?.intValue ?? 0),
                    .int(status?["currentNumberScheduled"]?.intValue ?? 0), .int(status?["numberReady"]?.intValue ?? 0),
                    .int(status?["updatedNumberScheduled"]?.intValue ?? 0), .int(status?["numberAvailable"]?.intValue ?? 0),
                    .string(nodeSelector.isEmpty ? "<none>" : nodeSelector), age,
                    .string(template.compactMap { $0["name"]?.stringValue }.joined(separator: ",")),
                    .string(template.compactMap { $0["image"]?.stringValue }.joined(separator: ",")),
                    .string(labelText(object.value(at: ["spec", "selector", "matchLabels"])))]
        case "argoproj.io/rollouts":
            let status = object["status"]
            return [name, .int(object.value(at: ["spec", "replicas"])?.intValue ?? 1), .int(status?["replicas"]?.intValue ?? 0),
                    .int(status?["updatedReplicas"]?.intValue ?? 0), .int(status?["availableReplicas"]?.intValue ?? 0), age]
        case "batch/jobs":
            let conditions = object.value(at: ["status", "conditions"])?.arrayValue ?? []
            let done = conditions.first { $0["status"]?.stringValue == "True" && ["Complete", "Failed"].contains($0["type"]?.stringValue ?? "") }
            let state = done?["type"]?.stringValue ?? "Running"
            let completions = object.value(at: ["spec", "completions"])?.intValue ?? 1
            let succeeded = object.value(at: ["status", "succeeded"])?.intValue ?? 0
            return [name, .string(state), .string("\(succeeded)/\(completions)"), "", age]
        case "policy/poddisruptionbudgets":
            func text(_ value: JSONValue?) -> String {
                value?.stringValue ?? value?.intValue.map { String($0) } ?? "N/A"
            }
            return [name, .string(text(object.value(at: ["spec", "minAvailable"]))),
                    .string(text(object.value(at: ["spec", "maxUnavailable"]))),
                    .int(object.value(at: ["status", "disruptionsAllowed"])?.intValue ?? 0), age]
        case "coordination.k8s.io/leases":
            return [name, .string(object.value(at: ["spec", "holderIdentity"])?.stringValue ?? ""), age]
        case "events", "events.k8s.io/events":
            let involved = object["involvedObject"] ?? object["regarding"]
            let kind = involved?["kind"]?.stringValue?.lowercased() ?? ""
            let last = object["lastTimestamp"]?.stringValue ?? object["eventTime"]?.stringValue ?? created
            return [.string(humanAge(since: last, now: now)), .string(object["type"]?.stringValue ?? ""),
                    .string(object["reason"]?.stringValue ?? ""),
                    .string("\(kind)/\(involved?["name"]?.stringValue ?? "")"),
                    .string(object["message"]?.stringValue ?? object["note"]?.stringValue ?? "")]
        default:
            return [name, .string(created)]
        }
    }

    private static func labelText(_ value: JSONValue?) -> String {
        guard let labels = value?.objectValue else { return "" }
        return zip(labels.keys, labels.values).map { "\($0)=\($1.stringValue ?? "")" }.joined(separator: ",")
    }

    private static func podCells(_ pod: JSONValue, name: JSONValue, age: JSONValue) -> [JSONValue] {
        let containers = pod.value(at: ["spec", "containers"])?.arrayValue ?? []
        let statuses = pod.value(at: ["status", "containerStatuses"])?.arrayValue ?? []
        let ready = statuses.filter { $0["ready"]?.boolValue == true }.count
        let restarts = statuses.reduce(Int64(0)) { $0 + ($1["restartCount"]?.intValue ?? 0) }
        var reason = pod.value(at: ["status", "reason"])?.stringValue ?? pod.value(at: ["status", "phase"])?.stringValue ?? "Pending"
        for status in statuses {
            if let waiting = status.value(at: ["state", "waiting", "reason"])?.stringValue, !waiting.isEmpty {
                reason = waiting
            } else if let terminated = status.value(at: ["state", "terminated", "reason"])?.stringValue, !terminated.isEmpty {
                reason = terminated
            }
        }
        if pod.value(at: ["metadata", "deletionTimestamp"]) != nil { reason = "Terminating" }
        let podIP = pod.value(at: ["status", "podIP"])?.stringValue ?? ""
        let node = pod.value(at: ["spec", "nodeName"])?.stringValue ?? ""
        let nominated = pod.value(at: ["status", "nominatedNodeName"])?.stringValue ?? ""
        return [name, .string("\(ready)/\(containers.count)"), .string(reason), .string(String(restarts)), age,
                .string(podIP.isEmpty ? "<none>" : podIP), .string(node.isEmpty ? "<none>" : node),
                .string(nominated.isEmpty ? "<none>" : nominated), "<none>"]
    }

    static func row(for object: StoredObject, now: Date) -> JSONValue {
        let value = object.value
        var partial: JSONObject = ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1"]
        partial["metadata"] = value["metadata"] ?? [:]
        return ["cells": .array(cells(for: value, type: object.type, now: now)), "object": .object(partial)]
    }

    /// A Table of objects; `includeColumns` false leaves the definitions out (watch events after the first).
    static func table(_ objects: [StoredObject], type: ResourceType, resourceVersion: Int64?, continueToken: String?,
                      remainingItemCount: Int?, includeColumns: Bool, now: Date) -> JSONValue {
        var metadata = JSONObject()
        if let resourceVersion { metadata["resourceVersion"] = .string(String(resourceVersion)) }
        if let continueToken { metadata["continue"] = .string(continueToken) }
        if let remainingItemCount { metadata["remainingItemCount"] = .int(Int64(remainingItemCount)) }
        let definitions: [JSONValue] = includeColumns ? columns(for: type).map { column in
            ["name": .string(column.name), "type": .string(column.type), "format": .string(column.format),
             "description": "", "priority": .int(Int64(column.priority))]
        } : []
        return [
            "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": .object(metadata),
            "columnDefinitions": .array(definitions), "rows": .array(objects.map { row(for: $0, now: now) }),
        ]
    }

    /// k8s.io/apimachinery/pkg/util/duration.HumanDuration.
    static func humanAge(since timestamp: String, now: Date) -> String {
        guard let date = parseTimestamp(timestamp) else { return "<unknown>" }
        let seconds = Int(now.timeIntervalSince(date).rounded(.down))
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 120 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 { return seconds % 60 == 0 ? "\(minutes)m" : "\(minutes)m\(seconds % 60)s" }
        if minutes < 180 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 8 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h\(minutes % 60)m" }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 { return hours % 24 == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(hours % 24)h" }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        let days = hours / 24
        if hours < 24 * 365 * 8 { return days % 365 == 0 ? "\(days / 365)y" : "\(days / 365)y\(days % 365)d" }
        return "\(days / 365)y"
    }

    static func parseTimestamp(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
