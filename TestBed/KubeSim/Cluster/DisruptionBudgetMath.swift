/// The disruption controller's arithmetic (pkg/controller/disruption, getExpectedPodCount):
/// - `maxUnavailable` (int or percent of the expected count, rounded up):
///   desiredHealthy = expected − maxUnavailable, expected = the owners' scale;
/// - `minAvailable` int: desiredHealthy = that, expected = number of matching pods;
/// - `minAvailable` percent: desiredHealthy = ceil(percent × expected), expected = owners' scale;
/// disruptionsAllowed = max(0, currentHealthy − desiredHealthy).
public enum DisruptionBudgetMath {
    public struct Result: Equatable, Sendable {
        public var expectedPods: Int
        public var desiredHealthy: Int
        public var disruptionsAllowed: Int
    }

    /// `spec` is the PDB's spec; `matchingPods` the pods its selector selects; `ownersScale` the
    /// sum of the replicas of the controllers of those pods; `currentHealthy` the Ready ones.
    public static func compute(spec: JSONValue, matchingPods: Int, ownersScale: Int, currentHealthy: Int) -> Result {
        var expected = ownersScale
        var desired = 0
        if let maxUnavailable = spec["maxUnavailable"], !maxUnavailable.isNull {
            desired = max(0, expected - scaled(maxUnavailable, of: expected))
        } else if let minAvailable = spec["minAvailable"], !minAvailable.isNull {
            if let count = minAvailable.intValue {
                desired = Int(count)
                expected = matchingPods
            } else {
                desired = scaled(minAvailable, of: expected)
            }
        } else {
            expected = matchingPods
        }
        return Result(expectedPods: expected, desiredHealthy: desired, disruptionsAllowed: max(0, currentHealthy - desired))
    }

    /// intstr.GetScaledValueFromIntOrPercent with roundUp = true.
    public static func scaled(_ value: JSONValue, of total: Int) -> Int {
        if let count = value.intValue { return Int(count) }
        guard let text = value.stringValue, text.hasSuffix("%"), let percent = Int(text.dropLast()) else { return 0 }
        return (percent * total + 99) / 100
    }

    /// The same with roundUp = false (Deployment maxUnavailable).
    public static func scaledDown(_ value: JSONValue, of total: Int) -> Int {
        if let count = value.intValue { return Int(count) }
        guard let text = value.stringValue, text.hasSuffix("%"), let percent = Int(text.dropLast()) else { return 0 }
        return percent * total / 100
    }
}
