import Foundation
import Yams

/// Reads Kubernetes manifests: JSON or YAML, single objects, multi-document YAML and `List`s
/// (`kind: List` or any `...List` with `items`), into JSON values with member order kept.
public enum ManifestLoader {
    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func objects(fromFile path: String) throws -> [JSONValue] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw LoadError(description: "cannot read \(path): \(error.localizedDescription)")
        }
        do {
            return try objects(from: String(decoding: data, as: UTF8.self))
        } catch let error as LoadError {
            throw LoadError(description: "\(path): \(error.description)")
        }
    }

    public static func objects(from text: String) throws -> [JSONValue] {
        let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
        var documents: [JSONValue] = []
        if trimmed.first == "{" || trimmed.first == "[" {
            do {
                documents = [try JSONParser.parse(Array(text.utf8))]
            } catch {
                throw LoadError(description: "invalid JSON: \(error.message)")
            }
        } else {
            do {
                for node in try Yams.compose_all(yaml: text) {
                    documents.append(convert(node))
                }
            } catch {
                throw LoadError(description: "invalid YAML: \(error)")
            }
        }
        return documents.flatMap(expand)
    }

    private static func expand(_ document: JSONValue) -> [JSONValue] {
        if case .array(let elements) = document { return elements.flatMap(expand) }
        guard case .object = document else { return [] }  // empty documents ("---" at the end)
        if let kind = document["kind"]?.stringValue, kind.hasSuffix("List"), let items = document["items"]?.arrayValue {
            return items.flatMap(expand)
        }
        return [document]
    }

    static func convert(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            switch Resolver.default.resolveTag(of: node) {
            case .null: return .null
            case .bool: return node.bool.map(JSONValue.bool) ?? .string(scalar.string)
            case .int: return node.int.map { .int(Int64($0)) } ?? .string(scalar.string)
            case .float: return node.float.map(JSONValue.double) ?? .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .mapping(let mapping):
            var object = JSONObject(minimumCapacity: mapping.count)
            for (key, value) in mapping {
                object[key.string ?? String(describing: key)] = convert(value)
            }
            return .object(object)
        case .sequence(let sequence):
            return .array(sequence.map(convert))
        case .alias:
            return .null
        }
    }
}
