import Foundation

/// Audit lines wrapped the way the managed providers export them (shapes from their documentation).
enum ExportedAuditFixtures {
    static let logGroup = "/aws/eks/prod/cluster"
    static let stream = "kube-apiserver-audit-0f1e2d3c4b5a69788796a5b4c3d2e1f0"

    private static func json(_ object: Any, pretty: Bool = false) -> String {
        var options: JSONSerialization.WritingOptions = [.sortedKeys]
        if pretty { options.insert(.prettyPrinted) }
        return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: options), as: UTF8.self)
    }

    private static func cloudWatchEvent(_ message: String, _ index: Int) -> [String: Any] {
        ["logStreamName": stream, "timestamp": 1_795_459_041_000 + index, "message": message,
         "ingestionTime": 1_795_459_041_500 + index, "eventId": "\(37_000_000 + index)"]
    }

    /// `aws logs filter-log-events --log-group-name … --output json`: one document, pretty-printed
    /// over many lines, every match under `events[]` (the CLI joins the pages).
    static func eksFilterLogEvents(_ lines: [String], pretty: Bool = true) -> String {
        json([
            "events": lines.enumerated().map { cloudWatchEvent($1, $0) },
            "searchedLogStreams": [["logStreamName": stream, "searchedCompletely": true]],
        ], pretty: pretty) + "\n"
    }

    /// CloudWatch Logs subscription payloads (Kinesis Data Firehose → S3): a CONTROL_MESSAGE
    /// first, then DATA_MESSAGEs of `batch` log events each, concatenated without a separator.
    static func eksSubscription(_ lines: [String], batch: Int = 3) -> String {
        var out = json([
            "messageType": "CONTROL_MESSAGE", "owner": "CloudwatchLogs", "logGroup": "", "logStream": "",
            "subscriptionFilters": [], "logEvents": [["id": "", "timestamp": 1_795_459_041_000,
                                                      "message": "CWL CONTROL MESSAGE: Checking health of destination Firehose."]],
        ])
        for start in stride(from: 0, to: lines.count, by: batch) {
            let slice = lines[start..<min(start + batch, lines.count)]
            out += json([
                "messageType": "DATA_MESSAGE", "owner": "123456789012", "logGroup": logGroup, "logStream": stream,
                "subscriptionFilters": ["audit-to-s3"],
                "logEvents": slice.enumerated().map { ["id": "\(start + $0)", "timestamp": 1_795_459_041_000 + start + $0, "message": $1] },
            ])
        }
        return out
    }

    /// CloudWatch Logs export to S3 (`aws logs create-export-task`): one event per line, its
    /// ingestion time first.
    static func eksExportTask(_ lines: [String]) -> String {
        lines.map { "2026-11-30T10:00:00.000Z \($0)" }.joined(separator: "\n") + "\n"
    }

    private static func aksRecord(_ log: String) -> [String: Any] {
        ["time": "2026-11-30T10:00:00.0000000Z",
         "resourceId": "/SUBSCRIPTIONS/0000/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/PROD",
         "category": "kube-audit", "operationName": "Microsoft.ContainerService/managedClusters/diagnosticLogs/Read",
         "properties": ["log": log, "stream": "stdout", "pod": "kube-apiserver-7d9c8b6f5-x2k4p"]]
    }

    /// AKS diagnostic settings to an Event Hub: `{"records": [...]}` per message, one per line.
    static func aksEventHub(_ lines: [String], batch: Int = 4) -> String {
        stride(from: 0, to: lines.count, by: batch).map { start in
            json(["records": lines[start..<min(start + batch, lines.count)].map(aksRecord)])
        }.joined(separator: "\n") + "\n"
    }

    /// AKS diagnostic settings to a storage account (`insights-logs-kube-audit/…/PT1H.json`): one record per line.
    static func aksStorage(_ lines: [String]) -> String {
        lines.map { json(aksRecord($0)) }.joined(separator: "\n") + "\n"
    }
}
