import Foundation
import Testing
import TestSupport

@testable import KubeSim

@Suite struct ClusterJSONTests {
    private func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(text) }
    private func text(_ value: JSONValue, pretty: Bool = false) -> String {
        String(decoding: JSONSerializer.serialize(value, pretty: pretty), as: UTF8.self)
    }

    @Test func keepsMemberOrderAndNumberKinds() throws {
        let value = try parse(#"{"z":1,"a":2.5,"m":[true,false,null],"big":9223372036854775807,"neg":-3,"exp":1e3}"#)
        #expect(value.objectValue?.keys == ["z", "a", "m", "big", "neg", "exp"])
        #expect(value["z"] == .int(1))
        if case .int = value["z"]! {} else { Issue.record("1 must stay an integer") }
        if case .double = value["a"]! {} else { Issue.record("2.5 must stay a float") }
        #expect(value["big"] == .int(Int64.max))
        #expect(value["neg"] == .int(-3))
        #expect(value["exp"]?.doubleValue == 1000)
        #expect(text(value) == #"{"z":1,"a":2.5,"m":[true,false,null],"big":9223372036854775807,"neg":-3,"exp":1000}"#)
    }

    @Test func roundTripsTheGoldenPodExactlyInPrettyForm() throws {
        let bytes = [UInt8](try Fixtures.golden("objects/pod.json"))
        let pod = try JSONParser.parse(bytes)
        #expect(pod.value(at: ["metadata", "name"])?.stringValue == "web-698c77d944-9fz8k")
        #expect(pod.value(at: ["spec", "volumes"])?[0]?.value(at: ["projected", "sources"])?[0]?
            .value(at: ["serviceAccountToken", "expirationSeconds"]) == .int(3607))
        // The golden file is Go's MarshalIndent output: ours must be byte-identical.
        let original = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(text(pod, pretty: true) == original)
        #expect(try JSONParser.parse(JSONSerializer.serialize(pod)) == pod)
    }

    @Test func roundTripsEveryGoldenObject() throws {
        let directory = Fixtures.root.appendingPathComponent("apiserver-golden/objects")
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".json") {
            let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
            let value = try JSONParser.parse(bytes)
            #expect(try JSONParser.parse(JSONSerializer.serialize(value)) == value, "\(name)")
        }
    }

    @Test func stringEscapesLikeGo() throws {
        let value = try parse(#"["a\"b\\c\n\t\u0001","<&>","\u2028","\ud83d\ude00","caf\u00e9","/\/"]"#)
        #expect(value[0]?.stringValue == "a\"b\\c\n\t\u{1}")
        #expect(value[3]?.stringValue == "😀")
        #expect(value[4]?.stringValue == "café")
        #expect(value[5]?.stringValue == "//")
        #expect(text(value) == #"["a\"b\\c\n\t\u0001","\u003c\u0026\u003e","\u2028","😀","café","//"]"#)
    }

    @Test func floatsAreWrittenLikeGo() {
        #expect(text([1.5, 3.0, -0.25, 1e-7, 1.5e300]) == "[1.5,3,-0.25,1e-7,1.5e+300]")
    }

    @Test func syntaxErrorsUseGoWording() {
        func message(_ input: String) -> String? {
            do {
                _ = try JSONParser.parse(input)
                return nil
            } catch {
                return error.message
            }
        }
        // The exact text of the golden 400-bad-patch Status (after "error decoding patch: ").
        #expect(message("{name: 1}") == "invalid character 'n' looking for beginning of object key string")
        #expect(message("") == "unexpected end of JSON input")
        #expect(message("{\"a\":1") == "unexpected end of JSON input")
        #expect(message("[1 2]") == "invalid character '2' after array element")
        #expect(message("{\"a\" 1}") == "invalid character '1' after object key")
        #expect(message("{\"a\":1 x}") == "invalid character 'x' after object key:value pair")
        #expect(message("tru") == "unexpected end of JSON input")
        #expect(message("trux") == "invalid character 'x' in literal true (expecting 'e')")
        #expect(message("1 2") == "invalid character '2' after top-level value")
        #expect(message("-") == "unexpected end of JSON input")
        #expect(message("01") == "invalid character '1' after top-level value")
        #expect(message("[") == "unexpected end of JSON input")
        #expect(message("x") == "invalid character 'x' looking for beginning of value")
    }

    @Test func duplicateKeysKeepTheLastValue() throws {
        let value = try parse(#"{"a":1,"b":2,"a":3}"#)
        #expect(value.objectValue?.keys == ["a", "b"])
        #expect(value["a"] == .int(3))
    }

    @Test func pathAccessCreatesAndRemoves() {
        var value: JSONValue = ["metadata": ["name": "x"]]
        value.set("v", at: ["metadata", "annotations", "k"])
        #expect(text(value) == #"{"metadata":{"name":"x","annotations":{"k":"v"}}}"#)
        #expect(value.remove(at: ["metadata", "name"]) == "x")
        #expect(value.remove(at: ["metadata", "missing", "deeper"]) == nil)
        value["spec"] = ["replicas": 3]
        #expect(value.value(at: ["spec", "replicas"])?.intValue == 3)
        #expect(value.objectValue?.keys == ["metadata", "spec"])
    }

    @Test func equalityIgnoresMemberOrderAndNumberSpelling() throws {
        #expect(try parse(#"{"a":1,"b":[1,2]}"#) == parse(#"{"b":[1.0,2],"a":1}"#))
        #expect(try parse(#"{"a":1}"#) != parse(#"{"a":1,"b":null}"#))
        #expect(try parse("[1,2]") != parse("[2,1]"))
    }

    @Test func rejectsTooDeepDocuments() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
    }
}
