import Foundation
import KubeSim

/// The demo cluster: a small, mixed population with something to show for every rule.
///
/// | namespace | workload | started | what token-warden does |
/// |---|---|---|---|
/// | legacy | ReplicationController billing-v1 (3 pods, PDB minAvailable 2) | 370 d ago | expired → evicts one pod at a time, never breaking the PDB |
/// | shop | Deployment checkout (3 pods) | 345 d ago | at risk → rolling restart |
/// | shop | Deployment search, invalid `restart-before` | 342 d ago | Warning Event for the annotation, default 30 d applies → restarted after checkout (one per namespace) |
/// | shop | Deployment catalog | 12 d ago | fine: left alone |
/// | payments (maintenance window tonight) | Deployment ledger | 350 d ago | at risk, deferred until the window opens |
/// | payments | Deployment archive, window only in 3 days | 364 d ago | deadline before its window: ForecastMiss warning |
/// | tools | bare pod debug-shell | 355 d ago | no owner to roll: Warning only |
/// | edge (`token-lifetime: none`) | Deployment sensor | 1 d ago | unprotectable: reported, never churned |
public struct DemoScenario: Sendable {
    public let startedAt: Date
    public let objects: [JSONValue]
    /// The workloads the demo must see restarted ("namespace/name").
    public static let expectedRestarts: Set<String> = ["legacy/billing-v1", "shop/checkout", "shop/search"]

    public init(now: Date = Date()) {
        startedAt = now
        let seconds = Int64(now.timeIntervalSince1970)
        var scenario = ScenarioBuilder(now: seconds)
        scenario.namespace("legacy")
        scenario.replicationController("legacy", "billing-v1", replicas: 3, ageDays: 370)
        scenario.podDisruptionBudget("legacy", "billing-v1", app: "billing-v1", minAvailable: 2, currentHealthy: 3)
        scenario.namespace("shop")
        scenario.deployment("shop", "checkout", replicas: 3, ageDays: 345)
        scenario.deployment("shop", "search", replicas: 2, ageDays: 342, annotations: ["token-warden.dev/restart-before": "a month"])
        scenario.deployment("shop", "catalog", replicas: 2, ageDays: 12)
        scenario.namespace("payments", annotations: ["token-warden.dev/maintenance-window": Self.tonightWindow(now)])
        scenario.deployment("payments", "ledger", replicas: 2, ageDays: 350)
        scenario.deployment("payments", "archive", replicas: 1, ageDays: 364,
                            annotations: ["token-warden.dev/maintenance-window": Self.windowInThreeDays(now)])
        scenario.namespace("tools")
        scenario.barePod("tools", "debug-shell", ageDays: 355)
        scenario.namespace("edge", annotations: ["token-warden.dev/token-lifetime": "none"])
        scenario.deployment("edge", "sensor", replicas: 1, ageDays: 1)
        objects = scenario.objects
    }

    /// A two-hour window starting 6 hours from now (UTC), so it is closed while the demo runs.
    static func tonightWindow(_ now: Date) -> String {
        let start = Calendar.utc.component(.hour, from: now.addingTimeInterval(6 * 3600))
        return String(format: "%02d:00-%02d:00 UTC", start, (start + 2) % 24)
    }

    /// An hour on the weekday three days from now: later than a deadline one day away.
    static func windowInThreeDays(_ now: Date) -> String {
        let day = Calendar.utc.component(.weekday, from: now.addingTimeInterval(3 * 86_400))
        let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        return "\(names[day - 1]) 03:00-04:00 UTC"
    }
}

extension Calendar {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0)!
        return calendar
    }()
}
