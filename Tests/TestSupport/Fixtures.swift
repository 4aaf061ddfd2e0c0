import Foundation

/// Files under `Tests/Fixtures`, found relative to this source file so tests run from any directory.
public enum Fixtures {
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// A captured kube-apiserver response, e.g. `golden("errors/404-not-found.json")`.
    public static func golden(_ relativePath: String) throws -> Data {
        try Data(contentsOf: root.appendingPathComponent("apiserver-golden").appendingPathComponent(relativePath))
    }

    /// The first line of a golden `.headers` file: `HTTP/2 429` → 429.
    public static func goldenStatusCode(_ relativeHeadersPath: String) throws -> Int {
        let text = String(decoding: try golden(relativeHeadersPath), as: UTF8.self)
        let first = text.split(separator: "\n").first ?? ""
        let parts = first.split(separator: " ")
        guard parts.count >= 2, let code = Int(parts[1]) else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: relativeHeadersPath])
        }
        return code
    }
}
