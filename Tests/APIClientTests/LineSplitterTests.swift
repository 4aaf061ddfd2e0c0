import Testing
@testable import APIClient

@Suite struct LineSplitterTests {
    @Test func joinsLinesAcrossChunks() throws {
        var splitter = LineSplitter()
        #expect(try splitter.feed(Array("{\"a\":".utf8)).isEmpty)
        #expect(try splitter.feed(Array("1}\n{\"b\"".utf8)).map { String(decoding: $0, as: UTF8.self) } == ["{\"a\":1}"])
        #expect(try splitter.feed(Array(":2}\r\n\n".utf8)).map { String(decoding: $0, as: UTF8.self) } == ["{\"b\":2}"])
        #expect(splitter.finish() == nil)
    }

    @Test func keepsAFinalLineWithoutNewline() throws {
        var splitter = LineSplitter()
        _ = try splitter.feed(Array("tail".utf8))
        #expect(splitter.finish().map { String(decoding: $0, as: UTF8.self) } == "tail")
    }

    @Test func rejectsAnOversizedLine() throws {
        var splitter = LineSplitter(maximumLineLength: 8)
        #expect(throws: LineSplitter.LineTooLong.self) { _ = try splitter.feed(Array("0123456789".utf8)) }
    }
}
