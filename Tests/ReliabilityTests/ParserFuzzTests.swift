import Assess
import Foundation
import KubeModel
import Testing

/// Property-based fuzzing of the annotation parsers: any text is either a value within bounds or
/// a diagnostic; never a crash, never a value that changes what the controller does.
@Suite struct ParserFuzzTests {
    static let durationPieces = ["0", "1", "30", "365", "8760", "1.5", ".5", "5.", "h", "m", "s", "d", "ms", "us", "ns", "w", "y",
                                 "-", "+", " ", "1h30m", "9223372036854775807", "99999999999", "e9", "none", "D", "H"]

    @Test func durationsParseWithinBoundsOrFail() {
        let cases = FuzzBudget.run { generator, _ in
            let text = FuzzText.compose(Self.durationPieces, using: &generator)
            switch DurationText.parse(text) {
            case .success(let seconds):
                #expect(abs(seconds) <= DurationText.maximumSeconds, "\(text.debugDescription) → \(seconds)")
            case .failure(let error):
                #expect(!error.description.isEmpty)
            }
            if case .success(let seconds) = DurationText.parsePositive(text) {
                #expect(seconds >= 1 && seconds <= DurationText.maximumSeconds, "\(text.debugDescription) → \(seconds)")
            }
        }
        #expect(cases > 0)
    }

    @Test func formattedDurationsParseBack() {
        FuzzBudget.run { generator, _ in
            let seconds = Int64.random(in: 1...DurationText.maximumSeconds, using: &generator)
            let text = DurationText.format(seconds)
            #expect(DurationText.parse(text) == .success(seconds), "\(seconds) → \(text)")
        }
    }

    static let windowPieces = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Mon-Fri", "Sat-Sun", "Fri-Mon", "Daily", " ", "-", ",",
                               ";", "00:00", "02:00", "05:00", "23:59", "24:00", "25:00", "02:60", "2:0", "UTC", "Europe/Berlin",
                               "America/New_York", "Mars/Olympus_Mons", "Etc/GMT+14", "Asia/Kathmandu", "Australia/Lord_Howe", "+01:00"]

    @Test func maintenanceWindowsParseOrFailAndAnswerConsistently() {
        let instant = Timestamp(seconds: 1_795_000_000)
        var parsed = 0
        FuzzBudget.run(cases: 2000) { generator, _ in
            let text = FuzzText.compose(Self.windowPieces, maxPieces: 10, using: &generator)
            switch MaintenanceWindow.parse(text) {
            case .success(let window):
                parsed += 1
                let at = Timestamp(seconds: instant.seconds + Int64.random(in: 0...(30 * 86_400), using: &generator))
                if let next = window.nextOpen(atOrAfter: at) {
                    #expect(next.seconds >= at.seconds, "\(text.debugDescription)")
                    #expect(window.isOpen(at: next), "\(text.debugDescription): not open at its next opening \(next.seconds)")
                }
                for opening in window.openings(around: at) {
                    #expect(opening.start.seconds < opening.end.seconds, "\(text.debugDescription)")
                }
            case .failure(let error):
                #expect(!error.message.isEmpty)
            }
        }
        _ = parsed
    }

    static let annotationValues = ["restart", "report", "ignore", "RESTART", "yes please", "", " ", "none", "-5d", "0d", "0", "30d",
                                   "99999999999999999999999d", "abc", "2026-13-45T99:99:99Z", "rollout", "evict", "recreate", "explode",
                                   "Mon-Fri 25:00-26:00 UTC", "Mon-Fri 02:00-05:00 Mars/Olympus_Mons", ";;;", "\u{0}", "🙃"]

    /// An annotation that does not parse is reported and then ignored: the policy is the same as
    /// without it (the next level's value applies).
    @Test func anUnparsableAnnotationFallsThroughToTheNextLevel() {
        let resolver = PolicyResolver(defaults: PolicyDefaults())
        let keys = PolicyAnnotation.allCases.map(\.rawValue)
        FuzzBudget.run(cases: 2000) { generator, _ in
            var annotations: [String: String] = [:]
            for key in keys where Bool.random(using: &generator) {
                annotations[key] = Bool.random(using: &generator)
                    ? Self.annotationValues.randomElement(using: &generator)!
                    : FuzzText.compose(Self.annotationValues + Self.durationPieces, maxPieces: 4, using: &generator)
            }
            let kinds: [WorkloadKind] = [.deployment, .statefulSet, .daemonSet, .replicationController, .replicaSet, .job, .pod]
            let kind = kinds.randomElement(using: &generator)!
            let subject = PolicyResolver.Subject(ref: ObjectRef(kind: kind.kindName, namespace: "ns", name: "w"), kind: kind,
                                                 annotations: annotations)
            let (policy, diagnostics) = resolver.resolve(subject, namespace: nil)
            var cleaned = annotations
            for diagnostic in diagnostics where diagnostic.object.name == "w" { cleaned.removeValue(forKey: diagnostic.annotation) }
            let (fallback, _) = resolver.resolve(
                PolicyResolver.Subject(ref: subject.ref, kind: kind, annotations: cleaned), namespace: nil)
            #expect(policy.mode == fallback.mode && policy.tokenLifetime == fallback.tokenLifetime
                        && policy.restartBefore == fallback.restartBefore && policy.tokensInvalidBefore == fallback.tokensInvalidBefore
                        && policy.maintenanceWindow == fallback.maintenanceWindow,
                    "\(annotations) vs \(cleaned)")
            for diagnostic in diagnostics {
                #expect(!diagnostic.problem.isEmpty && keys.contains(diagnostic.annotation))
            }
        }
    }
}
