import Foundation

/// Puts an object's members in the order the API server serializes them (kind, apiVersion,
/// metadata, spec, status; ObjectMeta fields in Go struct order), so served JSON looks real.
enum ObjectShape {
    static let metadataOrder = [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
        "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations",
        "ownerReferences", "finalizers", "managedFields",
    ]

    static func canonical(_ value: JSONValue) -> JSONValue {
        guard case .object(let object) = value else { return value }
        var result = JSONObject(minimumCapacity: object.count)
        for key in ["kind", "apiVersion"] { if let member = object[key] { result[key] = member } }
        if let metadata = object["metadata"] { result["metadata"] = ordered(metadata, first: metadataOrder) }
        for (key, member) in zip(object.keys, object.values)
        where key != "kind" && key != "apiVersion" && key != "metadata" && key != "status" {
            result[key] = member
        }
        if let status = object["status"] { result["status"] = status }
        return .object(result)
    }

    private static func ordered(_ value: JSONValue, first: [String]) -> JSONValue {
        guard case .object(let object) = value else { return value }
        var result = JSONObject(minimumCapacity: object.count)
        for key in first { if let member = object[key] { result[key] = member } }
        for (key, member) in zip(object.keys, object.values) where result[key] == nil { result[key] = member }
        return .object(result)
    }
}

/// RFC 3339 timestamps with second precision, as metav1.Time serializes.
public enum KubeTime {
    public static func format(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        var value = time_t(seconds)
        var parts = tm()
        gmtime_r(&value, &parts)
        func pad(_ number: Int32, _ width: Int) -> String {
            let text = String(number)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))Z"
    }

    /// Microsecond precision (metav1.MicroTime: Event.eventTime, Lease times).
    public static func formatMicro(_ date: Date) -> String {
        let base = format(date)
        let micros = Int((date.timeIntervalSince1970 - date.timeIntervalSince1970.rounded(.down)) * 1_000_000)
        let text = String(micros)
        return String(base.dropLast()) + "." + String(repeating: "0", count: 6 - text.count) + text + "Z"
    }
}

/// Names and identities the API server makes up.
enum NameGenerator {
    /// The alphabet of k8s.io/apimachinery/pkg/util/rand (no vowels, no confusable characters).
    private static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    static func suffix(length: Int = 5) -> String {
        String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }

    static func uid() -> String {
        UUID().uuidString.lowercased()
    }
}
