import KubeModel

/// A response body `FastObjectDecoder` reads with `ProjectedReader`: a LIST page or a watch line
/// of a `ProjectedValue`. nil: this one is left to Foundation (a watch ERROR line, which carries
/// a Status: rare, not hot).
protocol ProjectedDocument {
    static func readDocument(_ reader: inout ProjectedReader) throws -> Self?
}

extension ListBody: ProjectedDocument where Item: ProjectedValue {
    static func readDocument(_ reader: inout ProjectedReader) throws -> ListBody? { try reader.list() }
}

extension WatchLine: ProjectedDocument where Object: ProjectedValue {
    static func readDocument(_ reader: inout ProjectedReader) throws -> WatchLine? { try reader.watchLine() }
}
