/// A parsed label selector (`app=web,tier!=db,env in (a,b),!legacy,version`), matched like
/// k8s.io/apimachinery/pkg/labels.
public struct LabelSelector: Sendable, Equatable {
    public enum Requirement: Sendable, Equatable {
        case equals(String, String)
        case notEquals(String, String)
        case isIn(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case doesNotExist(String)
    }

    public var requirements: [Requirement]

    public init(requirements: [Requirement] = []) {
        self.requirements = requirements
    }

    public var isEmpty: Bool { requirements.isEmpty }

    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { requirement in
            switch requirement {
            case .equals(let key, let value): return labels[key] == value
            case .notEquals(let key, let value): return labels[key] != value
            case .isIn(let key, let values): return labels[key].map(values.contains) ?? false
            case .notIn(let key, let values): return labels[key].map { !values.contains($0) } ?? true
            case .exists(let key): return labels[key] != nil
            case .doesNotExist(let key): return labels[key] == nil
            }
        }
    }

    /// Parses the `labelSelector` query parameter; throws a 400 with the API server's wording.
    public static func parse(_ text: String) throws(StatusError) -> LabelSelector {
        var requirements: [Requirement] = []
        for term in splitTerms(text) {
            let trimmed = term.trimmingCharacters(in: " ")
            if trimmed.isEmpty { continue }
            requirements.append(try parseTerm(trimmed, whole: text))
        }
        return LabelSelector(requirements: requirements)
    }

    /// Splits on commas outside parentheses.
    private static func splitTerms(_ text: String) -> [String] {
        var terms: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if character == "," && depth == 0 {
                terms.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        terms.append(current)
        return terms
    }

    private static func parseTerm(_ term: String, whole: String) throws(StatusError) -> Requirement {
        let words = term.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if words.count >= 2, words[1] == "in" || words[1] == "notin" {
            let rest = words.dropFirst(2).joined(separator: " ").trimmingCharacters(in: " ")
            guard rest.hasPrefix("("), rest.hasSuffix(")") else {
                throw StatusError.badRequest("unable to parse requirement: found '\(rest)', expected: '('")
            }
            let values = Set(rest.dropFirst().dropLast().split(separator: ",").map {
                String($0).trimmingCharacters(in: " ")
            }.filter { !$0.isEmpty })
            return words[1] == "in" ? .isIn(words[0], values) : .notIn(words[0], values)
        }
        if term.hasPrefix("!") {
            return .doesNotExist(String(term.dropFirst()).trimmingCharacters(in: " "))
        }
        for op in ["!=", "==", "="] {
            if let range = term.range(of: op) {
                let key = String(term[..<range.lowerBound]).trimmingCharacters(in: " ")
                let value = String(term[range.upperBound...]).trimmingCharacters(in: " ")
                guard !key.isEmpty else {
                    throw StatusError.badRequest("unable to parse requirement: found '\(op)', expected: identifier")
                }
                return op == "!=" ? .notEquals(key, value) : .equals(key, value)
            }
        }
        guard words.count == 1 else {
            throw StatusError.badRequest("unable to parse requirement: found '\(words[1])', expected: in, notin, =, ==, !=, gt, lt")
        }
        return .exists(term)
    }
}

extension String {
    func trimmingCharacters(in character: Character) -> String {
        var slice = Substring(self)
        while slice.first == character { slice.removeFirst() }
        while slice.last == character { slice.removeLast() }
        return String(slice)
    }
}
