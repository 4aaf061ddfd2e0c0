/// A JSON pointer (RFC 6901), e.g. `/metadata/annotations/example.com~1key`.
public struct JSONPointer: Sendable, Equatable, CustomStringConvertible {
    /// Unescaped reference tokens (`~1` → `/`, `~0` → `~`).
    public let tokens: [String]

    public init(tokens: [String]) {
        self.tokens = tokens
    }

    public init(_ text: String) throws(PatchError) {
        if text.isEmpty {
            tokens = []
            return
        }
        guard text.hasPrefix("/") else { throw PatchError("invalid JSON pointer \"\(text)\"", isBadRequest: true) }
        tokens = text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { token in
            token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    public var description: String {
        tokens.map { "/" + $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }
            .joined()
    }

    /// True when `self` is a proper prefix of `other` (a value cannot be moved into itself).
    public func isProperPrefix(of other: JSONPointer) -> Bool {
        tokens.count < other.tokens.count && Array(other.tokens.prefix(tokens.count)) == tokens
    }

    /// The array index a token denotes: decimal without leading zeros.
    static func arrayIndex(_ token: String) -> Int? {
        guard !token.isEmpty, token.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        if token.count > 1 && token.hasPrefix("0") { return nil }
        return Int(token)
    }

    public func resolve(in document: JSONValue) -> JSONValue? {
        var current = document
        for token in tokens {
            switch current {
            case .object(let object):
                guard let next = object[token] else { return nil }
                current = next
            case .array(let array):
                guard let index = Self.arrayIndex(token), array.indices.contains(index) else { return nil }
                current = array[index]
            default:
                return nil
            }
        }
        return current
    }
}

private extension StringProtocol {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard contains(target) else { return String(self) }
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }
}
