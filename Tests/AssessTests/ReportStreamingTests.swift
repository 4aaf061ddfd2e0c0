import Assess
import Plan
import Testing
@testable import Report

/// `report -o json` is written workload by workload; the bytes are those of the whole document
/// serialized at once, whatever the chunk size.
@Suite struct ReportStreamingTests {
    func streamed(_ renderer: ReportRenderer, chunkSize: Int) -> (bytes: [UInt8], chunks: [Int]) {
        var bytes: [UInt8] = []
        var chunks: [Int] = []
        ReportJSON(renderer: renderer).write(chunkSize: chunkSize) { chunk in
            bytes.append(contentsOf: chunk)
            chunks.append(chunk.count)
        }
        return (bytes, chunks)
    }

    @Test(arguments: [1, 100, 1 << 16])
    func streamedBytesEqualTheWholeDocument(_ chunkSize: Int) {
        let (assessment, plan) = ReportTests().population()
        for includeOutOfScope in [false, true] {
            let renderer = ReportRenderer(assessment: assessment, plan: plan,
                                          options: ReportOptions(format: .json, includeOutOfScope: includeOutOfScope))
            let whole = Array(ReportJSON(renderer: renderer).document().serialized().utf8)
            let (bytes, chunks) = streamed(renderer, chunkSize: chunkSize)
            #expect(bytes == whole)
            #expect(Array(renderer.render().utf8) == whole)
            #expect(chunks.allSatisfy { $0 > 0 })
            // Small chunks: one per workload at least (the document is not built first).
            if chunkSize <= 100 { #expect(chunks.count > renderer.shown.count) }
        }
    }

    @Test func emptyReportStreamsTheSameBytes() {
        let now = t("2026-11-23T19:00:00Z")
        let renderer = ReportRenderer(assessment: Assessor().assess(ClusterSnapshot(), now: now),
                                      options: ReportOptions(format: .json))
        let whole = ReportJSON(renderer: renderer).document().serialized()
        #expect(whole.contains("\"workloads\": []"))
        #expect(streamed(renderer, chunkSize: 1 << 16).bytes == Array(whole.utf8))
    }

    @Test func tableIsWrittenInOnePiece() {
        let (assessment, plan) = ReportTests().population()
        let renderer = ReportRenderer(assessment: assessment, plan: plan)
        var pieces: [[UInt8]] = []
        renderer.write { pieces.append($0) }
        #expect(pieces == [Array(renderer.render().utf8)])
    }
}
