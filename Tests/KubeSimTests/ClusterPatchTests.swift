import Testing

@testable import KubeSim

@Suite struct ClusterPatchTests {
    private func json(_ text: String) -> JSONValue {
        do { return try JSONParser.parse(text) } catch { fatalError("bad test JSON: \(error) in \(text)") }
    }

    // MARK: JSON merge patch (RFC 7386 appendix A)

    @Test(arguments: [
        (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
        (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
        (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
        (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
        (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
        (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
        (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
        (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
        (#"{"a":"foo"}"#, "null", "null"),
        (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
        (#"{"e":null}"#, #"{"a":1}"#, #"{"e":null,"a":1}"#),
        (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
        (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
    ])
    func mergePatchRFCExamples(original: String, patch: String, expected: String) {
        #expect(JSONMergePatch.apply(json(patch), to: json(original)) == json(expected))
    }

    @Test func mergePatchKeepsOrderAndAppendsNewKeys() {
        let result = JSONMergePatch.apply(json(#"{"metadata":{"annotations":{"x":"1"}}}"#),
                                          to: json(#"{"kind":"Pod","metadata":{"name":"p","labels":{}}}"#))
        #expect(result.description == #"{"kind":"Pod","metadata":{"name":"p","labels":{},"annotations":{"x":"1"}}}"#)
    }

    @Test func malformedPatchIsABadRequestWithTheAPIServersMessage() {
        #expect(throws: PatchError("error decoding patch: invalid character 'n' looking for beginning of object key string", isBadRequest: true)) {
            try JSONMergePatch.apply(patchBytes: Array("{name: 1}".utf8), to: [:])
        }
    }

    // MARK: Strategic merge patch

    private let deployment = #"""
    {"spec":{"template":{"metadata":{"labels":{"app":"web"}},"spec":{
      "containers":[
        {"name":"app","image":"app:1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
         "ports":[{"containerPort":80}],"volumeMounts":[{"name":"t","mountPath":"/t"}]},
        {"name":"sidecar","image":"side:1"}],
      "volumes":[{"name":"t","emptyDir":{}}],
      "tolerations":[{"key":"a"}]}}}}
    """#

    private func smp(_ patch: String, _ original: String) throws -> JSONValue {
        try StrategicMergePatch.apply(json(patch), to: json(original))
    }

    @Test func rolloutRestartPatchAddsTheTemplateAnnotation() throws {
        let patch = #"{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-23T18:37:00Z"}}}}}"#
        let result = try smp(patch, deployment)
        #expect(result.value(at: ["spec", "template", "metadata", "annotations", "kubectl.kubernetes.io/restartedAt"]) == "2026-11-23T18:37:00Z")
        #expect(result.value(at: ["spec", "template", "spec"]) == json(deployment).value(at: ["spec", "template", "spec"]))
    }

    @Test func containersMergeByNameAndNewOnesAreAppended() throws {
        let patch = #"{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"side:2"},{"name":"new","image":"n:1"}]}}}}"#
        let containers = try smp(patch, deployment).value(at: ["spec", "template", "spec", "containers"])?.arrayValue ?? []
        #expect(containers.map { $0["name"]?.stringValue } == ["app", "sidecar", "new"])
        #expect(containers[0]["image"] == "app:1")
        #expect(containers[1]["image"] == "side:2")
    }

    @Test func nestedKeyedListsMergeAndDeleteDirectiveRemoves() throws {
        let patch = #"""
        {"spec":{"template":{"spec":{"containers":[{"name":"app",
          "env":[{"name":"B","value":"20"},{"name":"A","$patch":"delete"},{"name":"C","value":"3"}],
          "ports":[{"containerPort":8080}],
          "volumeMounts":[{"mountPath":"/t","readOnly":true}]}]}}}}
        """#
        let app = try smp(patch, deployment).value(at: ["spec", "template", "spec", "containers"])?[0]
        #expect(app?["env"] == json(#"[{"name":"B","value":"20"},{"name":"C","value":"3"}]"#))
        #expect(app?["ports"] == json(#"[{"containerPort":80},{"containerPort":8080}]"#))
        #expect(app?["volumeMounts"] == json(#"[{"name":"t","mountPath":"/t","readOnly":true}]"#))
    }

    @Test func listsWithoutMergeKeyAreReplaced() throws {
        let patch = #"{"spec":{"template":{"spec":{"tolerations":[{"key":"b"}]}}}}"#
        #expect(try smp(patch, deployment).value(at: ["spec", "template", "spec", "tolerations"]) == json(#"[{"key":"b"}]"#))
    }

    @Test func replaceDirectiveOnListsAndMaps() throws {
        let listPatch = #"{"spec":{"template":{"spec":{"containers":[{"$patch":"replace"},{"name":"only","image":"o:1"}]}}}}"#
        #expect(try smp(listPatch, deployment).value(at: ["spec", "template", "spec", "containers"])
            == json(#"[{"name":"only","image":"o:1"}]"#))
        let mapPatch = #"{"spec":{"template":{"metadata":{"$patch":"replace","labels":{"app":"api"}}}}}"#
        #expect(try smp(mapPatch, deployment).value(at: ["spec", "template", "metadata"]) == json(#"{"labels":{"app":"api"}}"#))
        let deleteMap = #"{"spec":{"template":{"metadata":{"$patch":"delete"}}}}"#
        #expect(try smp(deleteMap, deployment).value(at: ["spec", "template", "metadata"]) == nil)
    }

    @Test func nullDeletesAndMapsMerge() throws {
        let result = try smp(#"{"metadata":{"labels":{"a":null,"c":"3"}}}"#, #"{"metadata":{"labels":{"a":"1","b":"2"}}}"#)
        #expect(result == json(#"{"metadata":{"labels":{"b":"2","c":"3"}}}"#))
    }

    @Test func conditionsMergeByTypeAndOwnerReferencesByUID() throws {
        let original = #"{"metadata":{"ownerReferences":[{"uid":"u1","name":"a"}]},"status":{"conditions":[{"type":"Ready","status":"False"},{"type":"PodScheduled","status":"True"}]}}"#
        let patch = #"{"metadata":{"ownerReferences":[{"uid":"u2","name":"b"}]},"status":{"conditions":[{"type":"Ready","status":"True"}]}}"#
        let result = try smp(patch, original)
        #expect(result.value(at: ["status", "conditions"]) == json(#"[{"type":"Ready","status":"True"},{"type":"PodScheduled","status":"True"}]"#))
        #expect(result.value(at: ["metadata", "ownerReferences"])?.arrayValue?.count == 2)
    }

    @Test func finalizersMergeAsASetAndCanBeDeleted() throws {
        let original = #"{"metadata":{"finalizers":["a","b"]}}"#
        #expect(try smp(#"{"metadata":{"finalizers":["b","c"]}}"#, original) == json(#"{"metadata":{"finalizers":["a","b","c"]}}"#))
        #expect(try smp(#"{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}}"#, original)
            == json(#"{"metadata":{"finalizers":["b"]}}"#))
    }

    @Test func retainKeysDropsUnlistedFields() throws {
        let original = #"{"spec":{"volumes":[{"name":"t","emptyDir":{}}]}}"#
        let patch = #"{"spec":{"volumes":[{"name":"t","$retainKeys":["name","configMap"],"configMap":{"name":"cm"}}]}}"#
        #expect(try smp(patch, original) == json(#"{"spec":{"volumes":[{"name":"t","configMap":{"name":"cm"}}]}}"#))
    }

    @Test func setElementOrderReordersTheMergedList() throws {
        let original = #"{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}"#
        let patch = #"{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}],"containers":[{"name":"a","image":"x"}]}}"#
        #expect(try smp(patch, original) == json(#"{"spec":{"containers":[{"name":"b"},{"name":"a","image":"x"}]}}"#))
    }

    @Test func newObjectsFromThePatchLoseTheirDirectivesAndNulls() throws {
        let patch = #"{"spec":{"containers":[{"name":"c","env":[{"name":"X","value":"1"}],"gone":null}]}}"#
        #expect(try smp(patch, "{}") == json(#"{"spec":{"containers":[{"name":"c","env":[{"name":"X","value":"1"}]}]}}"#))
    }

    @Test func nonObjectStrategicPatchIsABadRequest() {
        #expect(throws: PatchError.self) { try StrategicMergePatch.apply(json("[1]"), to: [:]) }
    }

    // MARK: JSON patch (RFC 6902 appendix A)

    private func jsonPatch(_ patch: String, _ document: String) throws(PatchError) -> JSONValue {
        try JSONPatch.apply(json(patch), to: json(document))
    }

    @Test func jsonPatchRFCExamples() throws {
        #expect(try jsonPatch(#"[{"op":"add","path":"/baz","value":"qux"}]"#, #"{"foo":"bar"}"#) == json(#"{"foo":"bar","baz":"qux"}"#))
        #expect(try jsonPatch(#"[{"op":"add","path":"/foo/1","value":"qux"}]"#, #"{"foo":["bar","baz"]}"#) == json(#"{"foo":["bar","qux","baz"]}"#))
        #expect(try jsonPatch(#"[{"op":"remove","path":"/baz"}]"#, #"{"baz":"qux","foo":"bar"}"#) == json(#"{"foo":"bar"}"#))
        #expect(try jsonPatch(#"[{"op":"remove","path":"/foo/1"}]"#, #"{"foo":["bar","qux","baz"]}"#) == json(#"{"foo":["bar","baz"]}"#))
        #expect(try jsonPatch(#"[{"op":"replace","path":"/baz","value":"boo"}]"#, #"{"baz":"qux","foo":"bar"}"#) == json(#"{"baz":"boo","foo":"bar"}"#))
        #expect(try jsonPatch(#"[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]"#, #"{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}"#)
            == json(#"{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}"#))
        #expect(try jsonPatch(#"[{"op":"move","from":"/foo/1","path":"/foo/3"}]"#, #"{"foo":["all","grass","cows","eat"]}"#)
            == json(#"{"foo":["all","cows","eat","grass"]}"#))
        #expect(try jsonPatch(#"[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]"#, #"{"baz":"qux","foo":["a",2,"c"]}"#)
            == json(#"{"baz":"qux","foo":["a",2,"c"]}"#))
        #expect(try jsonPatch(#"[{"op":"add","path":"/foo/-","value":["abc","def"]}]"#, #"{"foo":["bar"]}"#) == json(#"{"foo":["bar",["abc","def"]]}"#))
        #expect(try jsonPatch(#"[{"op":"copy","from":"/a","path":"/b"}]"#, #"{"a":{"x":1}}"#) == json(#"{"a":{"x":1},"b":{"x":1}}"#))
        #expect(try jsonPatch(#"[{"op":"add","path":"/a~1b","value":1},{"op":"add","path":"/m~0n","value":2}]"#, "{}") == json(#"{"a/b":1,"m~n":2}"#))
        #expect(try jsonPatch(#"[{"op":"add","path":"","value":[1]}]"#, "{}") == json("[1]"))
    }

    @Test func jsonPatchFailuresAreUnprocessableAndAtomic() {
        // A failed test: 422 (not a bad request), and nothing of the patch applies.
        do {
            _ = try jsonPatch(#"[{"op":"add","path":"/x","value":1},{"op":"test","path":"/baz","value":"bar"}]"#, #"{"baz":"qux"}"#)
            Issue.record("test op must fail")
        } catch {
            #expect(error.message == "testing value /baz failed: test failed")
            #expect(!error.isBadRequest)
        }
        #expect(throws: PatchError.self) { try jsonPatch(#"[{"op":"add","path":"/baz/bat","value":"qux"}]"#, #"{"foo":"bar"}"#) }
        #expect(throws: PatchError.self) { try jsonPatch(#"[{"op":"remove","path":"/nope"}]"#, "{}") }
        #expect(throws: PatchError.self) { try jsonPatch(#"[{"op":"replace","path":"/nope","value":1}]"#, "{}") }
        #expect(throws: PatchError.self) { try jsonPatch(#"[{"op":"add","path":"/a/5","value":1}]"#, #"{"a":[]}"#) }
        #expect(throws: PatchError.self) { try jsonPatch(#"[{"op":"move","from":"/a","path":"/a/b"}]"#, #"{"a":{}}"#) }
        // Malformed patch documents are bad requests.
        for bad in [#"{"op":"add"}"#, #"[{"op":"frobnicate","path":"/a"}]"#, #"[{"path":"/a"}]"#, #"[{"op":"add","path":"a","value":1}]"#] {
            do {
                _ = try jsonPatch(bad, "{}")
                Issue.record("\(bad) must fail")
            } catch {
                #expect(error.isBadRequest, "\(bad)")
            }
        }
    }

    @Test func jsonPatchTestComparesStructurally() throws {
        _ = try jsonPatch(#"[{"op":"test","path":"/a","value":{"y":[1.0],"x":null}}]"#, #"{"a":{"x":null,"y":[1]}}"#)
    }
}
