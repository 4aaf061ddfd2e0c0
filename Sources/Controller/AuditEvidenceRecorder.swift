import Act
import APIClient
import Assess
import Foundation
import KubeModel
import Evidence
import Observe

/// `token-warden audit … --record`: writes the stale-token evidence found in audit logs onto the
/// pods it is about, so every replica of the controller (and `restart-on: evidence`) sees it.
/// Only a pod that still exists with the same uid is written: the merge patch carries the uid,
/// which the API server checks (422 on metadata.uid when the pod was replaced between the read and the write).
public struct AuditEvidenceRecorder: Sendable {
    /// What happened to one pod's evidence.
    public struct Result: Equatable, Sendable, CustomStringConvertible {
        public enum Outcome: Equatable, Sendable {
            case written
            /// `--dry-run`: would have been written.
            case wouldWrite
            case skipped(EvidenceRecordDecision.SkipReason)
            /// The API refused or did not answer (the server's Status in the text).
            case failed(String)
        }

        public var namespace: String
        public var pod: String
        public var uid: String?
        public var annotations: [String: String]
        public var outcome: Outcome

        public var description: String {
            let who = "pod \(namespace)/\(pod)" + (uid.map { " (uid \($0))" } ?? "")
            let what = annotations.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            switch outcome {
            case .written: return "recorded      \(who): \(what)"
            case .wouldWrite: return "would record  \(who): \(what)"
            case .skipped(let reason): return "skipped       \(who): \(reason)"
            case .failed(let error): return "failed        \(who): \(error)"
            }
        }
    }

    let client: KubeClient
    let dryRun: Bool

    public init(client: KubeClient, dryRun: Bool) {
        self.client = client
        self.dryRun = dryRun
    }

    /// One result per pod with evidence, in the report's order.
    public func record(_ evidence: [PodStaleTokenEvidence]) async -> [Result] {
        var results: [Result] = []
        for entry in evidence {
            results.append(await record(entry))
        }
        return results
    }

    private func record(_ evidence: PodStaleTokenEvidence) async -> Result {
        var result = Result(namespace: evidence.namespace, pod: evidence.pod ?? "-", uid: evidence.podUID, annotations: [:], outcome: .skipped(.noPod))
        guard let name = evidence.pod, evidence.podUID != nil else { return result }
        var found: EvidenceRecordDecision.FoundPod?
        do {
            let pod = try await client.get(Pod.self, namespace: evidence.namespace, name: name)
            found = EvidenceRecordDecision.FoundPod(uid: pod.metadata.uid ?? "", annotations: pod.metadata.annotations ?? [:])
        } catch let error as APIError where error.isNotFound {
            found = nil
        } catch {
            result.outcome = .failed("\(error)")
            return result
        }
        switch EvidenceRecordDecision.decide(evidence, found: found) {
        case .skip(let reason):
            result.outcome = .skipped(reason)
        case .write(let annotations):
            result.annotations = annotations
            result.outcome = dryRun ? .wouldWrite : await write(annotations, to: evidence, name: name)
        }
        return result
    }

    private func write(_ annotations: [String: String], to evidence: PodStaleTokenEvidence, name: String) async -> Result.Outcome {
        do {
            let body = try PodEvidenceWriter.patchBody(uid: evidence.podUID ?? "", annotations: annotations)
            try await client.patch(.pods, namespace: evidence.namespace, name: name, type: .merge, body: body)
            return .written
        } catch let error as APIError where error.isNotFound {
            return .skipped(.podGone)
        } catch let error as APIError where PodEvidenceWriter.isReplaced(error) {
            return .skipped(.uidChanged(current: nil))
        } catch {
            return .failed("\(error)")
        }
    }
}
