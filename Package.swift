// swift-tools-version:6.0
import PackageDescription

// The data path is visible in the target names, in Sources/:
// Transport (libcurl) → APIClient → WatchCache → Evidence → Assess → Plan → Act / Observe → Controller.
// The test bed — the simulated cluster, the demo, the reliability suite, the benchmarks and the
// digital twin — lives in TestBed/; the product's executable links none of it.
let package = Package(
    name: "token-warden",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "token-warden", targets: ["token-warden"]),
        .executable(name: "token-warden-demo", targets: ["token-warden-demo"]),
        .executable(name: "kube-sim", targets: ["kube-sim"]),
        .library(name: "KubeSim", targets: ["KubeSim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // C libraries, wrapped directly.
        .systemLibrary(
            name: "CCurl",
            path: "Sources/CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // JSON scanning with SSE2 on x86-64 (portable word-at-a-time code elsewhere): strings and
        // the containers the decoder skips.
        .target(name: "CJSONScan", path: "Sources/CJSONScan"),
        .target(
            name: "CTLS",
            path: "Sources/CTLS",
            linkerSettings: [.linkedLibrary("ssl"), .linkedLibrary("crypto")]
        ),

        // The data path.
        .target(
            name: "Transport",
            dependencies: ["CCurl", .product(name: "Logging", package: "swift-log")]
        ),
        .target(name: "KubeModel"),
        .target(
            name: "APIClient",
            dependencies: [
                "Transport", "KubeModel", "Yams", "CJSONScan",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "WatchCache",
            dependencies: ["APIClient", .product(name: "Logging", package: "swift-log")]
        ),
        .target(name: "Assess", dependencies: ["KubeModel"]),
        .target(name: "Plan", dependencies: ["Assess"]),
        .target(name: "Report", dependencies: ["Assess", "Plan"]),
        .target(
            name: "Act",
            dependencies: ["APIClient", "Plan", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "Observe",
            dependencies: [
                "HTTPServer", "Assess", "KubeModel", "Report",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // Audit evidence: the API server's stale-token annotations, from logs or the webhook.
        .target(
            name: "Evidence",
            dependencies: [
                "HTTPServer", "CZlib", "Assess", "KubeModel", "Report", "Observe",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Controller",
            dependencies: [
                "WatchCache", "Assess", "Plan", "Act", "Evidence", "Observe", "Report",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // The simulated cluster and the small HTTP server it (and /metrics) runs on.
        .target(
            name: "HTTPServer",
            dependencies: ["CTLS", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "KubeSim",
            dependencies: ["HTTPServer", "CTLS", "KubeModel", "Yams", .product(name: "Logging", package: "swift-log")], path: "TestBed/KubeSim"
        ),

        // `token-warden demo`: the controller against an in-process simulated cluster.
        .target(name: "Demo", dependencies: ["Controller", "KubeSim", "Report"], path: "TestBed/Demo"),

        // `make reliability`: fault and bad-input scenarios under load, and their table.
        .target(
            name: "ReliabilitySuite",
            dependencies: [
                "Controller", "KubeSim", "HTTPServer", "APIClient", "Assess", "Plan", "Transport", "Observe",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ], path: "TestBed/ReliabilitySuite"
        ),
        .executableTarget(name: "reliability", dependencies: ["ReliabilitySuite"], path: "TestBed/reliability"),

        // Executables.
        .executableTarget(
            name: "token-warden",
            dependencies: [
                "Controller", "Report", "WatchCache",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The demo links the simulated cluster; the product's executable (and so the image) does not.
        .executableTarget(
            name: "token-warden-demo",
            dependencies: ["Demo", .product(name: "ArgumentParser", package: "swift-argument-parser")], path: "TestBed/token-warden-demo"
        ),
        .executableTarget(
            name: "kube-sim",
            dependencies: ["KubeSim", .product(name: "ArgumentParser", package: "swift-argument-parser")], path: "TestBed/kube-sim"
        ),
        // `make bench`: token-warden's list/watch/assess/plan path measured against kubectl.
        .executableTarget(
            name: "warden-bench",
            dependencies: [
                "APIClient", "WatchCache", "KubeModel", "Assess", "Plan", "Evidence", "Observe", "HTTPServer", "Transport",
                .product(name: "Logging", package: "swift-log"),
            ], path: "TestBed/warden-bench"
        ),

        // `make twin`: the real Assess and Plan over two simulated years of a cluster's life.
        .target(name: "DigitalTwin", dependencies: ["Assess", "Plan", "KubeModel", "WatchCache"], path: "TestBed/DigitalTwin"),
        .executableTarget(
            name: "warden-twin",
            dependencies: ["DigitalTwin", .product(name: "ArgumentParser", package: "swift-argument-parser")], path: "TestBed/warden-twin"
        ),

        // Tests.
        .target(name: "TestSupport", dependencies: ["HTTPServer", "KubeSim", "APIClient"], path: "Tests/TestSupport"),
        .testTarget(name: "TransportTests", dependencies: ["Transport", "TestSupport"]),
        .testTarget(name: "APIClientTests", dependencies: ["APIClient", "WatchCache", "TestSupport", "KubeSim"]),
        .testTarget(name: "AssessTests", dependencies: ["Assess", "Plan", "Report", "DigitalTwin"]),
        .testTarget(name: "KubeSimTests", dependencies: ["KubeSim", "TestSupport"]),
        .testTarget(name: "ObserveTests", dependencies: ["Observe", "Evidence", "TestSupport"]),
        .testTarget(name: "ControllerTests", dependencies: ["Controller", "Demo", "ReliabilitySuite", "TestSupport", "Yams"]),
        .testTarget(name: "ReliabilityTests", dependencies: [
            "ReliabilitySuite", "APIClient", "Assess", "Evidence", "Observe", "TestSupport", "KubeSim", "KubeModel", "WatchCache", "Transport",
        ]),
    ]
)
