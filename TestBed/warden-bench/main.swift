import APIClient
import Foundation
import Logging
import WatchCache

/// `warden-bench`: token-warden's data path against a (simulated) API server, one figure set per
/// run, printed as one JSON object. `Benchmarks/run.sh` starts the server, runs this and kubectl
/// side by side, and builds the table.
///
///     warden-bench first-request --kubeconfig K
///     warden-bench sync   --kubeconfig K [--decoder fast|foundation] [--initial-sync stream|list] [--malloc-stats]
///     warden-bench decode --kubeconfig K [--pages 4]
///     warden-bench watch  --kubeconfig K [--events 20000] [--decoder fast|foundation]
///     warden-bench plan   --kubeconfig K [--repeats 3]
///     warden-bench intake [--batches 200] [--events-per-batch 400]   (no cluster: the audit webhook on loopback)
let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: String) -> String {
    guard let i = arguments.firstIndex(of: "--\(name)"), i + 1 < arguments.count else { return fallback }
    return arguments[i + 1]
}

func emit(_ figures: [String: Any]) {
    do {
        let data = try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys])
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    } catch {
        FileHandle.standardError.write(Data("warden-bench: cannot encode figures: \(error)\n".utf8))
        exit(1)
    }
}

var logger = Logger(label: "warden-bench")
logger.logLevel = .error
let command = arguments.count > 1 ? arguments[1] : "help"
let decoderName = option("decoder", "fast")
let decoder: any ObjectDecoder = decoderName == "foundation" ? FoundationObjectDecoder() : FastObjectDecoder()

do {
    if command == "intake" {
        emit(try await IntakeBench.run(batches: Int(option("batches", "200")) ?? 200,
                                       eventsPerBatch: Int(option("events-per-batch", "400")) ?? 400, logger: logger))
        exit(0)
    }
    let config = try KubeconfigLoader.load(explicitPath: option("kubeconfig", ""))
    let client = KubeClient(config: config, logger: logger, decoder: decoder)
    switch command {
    case "first-request":
        _ = try await client.getRaw("/version")
        emit(["command": command])
    case "sync":
        guard let initialSync = InitialSync(rawValue: option("initial-sync", "stream")) else {
            FileHandle.standardError.write(Data("warden-bench sync: --initial-sync is stream or list\n".utf8))
            exit(2)
        }
        emit(try await SyncBench.run(client: client, decoder: decoderName, initialSync: initialSync,
                                     mallocStats: arguments.contains("--malloc-stats")))
    case "decode":
        emit(try await DecodeBench.run(client: client, pages: Int(option("pages", "4")) ?? 4))
    case "watch":
        emit(try await WatchBench.run(client: client, decoder: decoder, decoderName: decoderName,
                                      events: Int(option("events", "20000")) ?? 20000))
    case "plan":
        emit(try await PlanBench.run(client: client, repeats: Int(option("repeats", "3")) ?? 3))
    default:
        FileHandle.standardError.write(Data("usage: warden-bench first-request|sync|decode|watch|plan --kubeconfig PATH | intake [--decoder fast|foundation]\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("warden-bench \(command): \(error)\n".utf8))
    exit(1)
}
