import ArgumentParser
import Dispatch
import Foundation
import KubeSim
import Logging

/// `kube-sim`: a simulated Kubernetes API server for tests, demos and benchmarks.
struct KubeSimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kube-sim",
        abstract: "A simulated Kubernetes API server (HTTPS, bearer tokens, watches) that kubectl accepts.")

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 0

    @Option(help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(name: .customLong("write-kubeconfig"), help: "Write a kubeconfig (admin token, CA) to this path.")
    var kubeconfigPath: String?

    @Option(name: .customLong("objects"), help: "Seed objects from a YAML/JSON file (repeatable).")
    var objectFiles: [String] = []

    @Option(help: "Generate a population, e.g. \"pods=150000,namespaces=100\".")
    var generate: String?

    @Flag(help: "Serve plain HTTP instead of HTTPS.")
    var http = false

    @Option(help: "Admin bearer token (default: random).")
    var token: String?

    @Option(name: .customLong("bookmark-interval"), help: "Seconds between watch bookmarks.")
    var bookmarkInterval: Double = 60

    @Option(name: .customLong("watch-list"),
            help: "How a streaming initial sync (sendInitialEvents) is answered: enabled, rejected (422, as with the feature gate off) or ignored (a plain watch, as an older server).")
    var watchList = "enabled"

    @Flag(inversion: .prefixedNo, help: "Run the simulated controllers and kubelet.")
    var cluster = true

    @Option(name: .customLong("ready-delay"), help: "Seconds before a new pod is Running and Ready.")
    var readyDelay: Double = 2

    @Flag(name: .customLong("no-initial-sync"), help: "Do not reconcile every seeded workload at start (very large clusters).")
    var noInitialSync = false

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    @Flag(name: .customLong("argo-rollouts"), help: "Serve Argo Rollouts (rollouts.argoproj.io) as if its CRD were installed.")
    var argoRollouts = false

    func run() throws {
        // SIGTERM and SIGINT blocked before any thread starts (each inherits the mask), taken by
        // `sigwait` below: one sent at any moment, even right after "ready", stays pending until
        // then. A dispatch source set up after the server's threads missed one sent in between.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGTERM)
        sigaddset(&stopSignals, SIGINT)
        pthread_sigmask(SIG_BLOCK, &stopSignals, nil)
        var logger = Logger(label: "kube-sim")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        var options = KubeSim.Options()
        options.host = host
        options.port = port
        options.tls = !http
        options.adminToken = token
        options.bookmarkInterval = bookmarkInterval
        guard let support = WatchListSupport(rawValue: watchList) else {
            throw ValidationError("--watch-list: expected enabled, rejected or ignored, got \(watchList)")
        }
        options.watchList = support
        options.logger = logger
        if argoRollouts { options.crds = [ResourceCatalog.argoRollouts] }
        if cluster {
            var clusterOptions = ClusterOptions()
            clusterOptions.readyDelay = readyDelay
            clusterOptions.initialSync = !noInitialSync
            options.cluster = clusterOptions
        }
        let sim = try KubeSim(options: options)
        for file in objectFiles {
            let loaded = try sim.load(file: file)
            logger.info("loaded objects", metadata: ["file": "\(file)", "count": "\(loaded.count)"])
        }
        if let generate {
            let spec: GenerateSpec
            do {
                spec = try GenerateSpec.parse(generate)
            } catch {
                throw ValidationError("--generate: \(error)")
            }
            var count = 0
            try ClusterGenerator.generate(spec: spec, now: Date()) { batch in
                count += try sim.load(batch).count
            }
            logger.info("generated objects", metadata: ["count": "\(count)"])
        }
        try sim.start()
        if let kubeconfigPath {
            try sim.writeKubeconfig(path: kubeconfigPath)
        }
        let line = "kube-sim ready at \(sim.url)" + (kubeconfigPath.map { " (kubeconfig: \($0))" } ?? "") + "\n"
        FileHandle.standardOutput.write(Data(line.utf8))
        var received: Int32 = 0
        sigwait(&stopSignals, &received)
        sim.stop()
        logger.info("kube-sim stopped", metadata: ["signal": "\(received)"])
        Foundation.exit(0)
    }
}

KubeSimCommand.main()
