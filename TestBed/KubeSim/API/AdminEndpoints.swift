import Foundation
import HTTPServer
import KubeModel

/// Runtime control of a running kube-sim over HTTP (admin token only), for scripts and demos that
/// run it as a separate process. Paths under /kube-sim/:
///
///     POST /kube-sim/faults        {"code":429,"count":5,"verbs":["list"],"resources":["pods"],"retryAfterSeconds":2}
///     POST /kube-sim/latency       {"seconds":0.2}
///     POST /kube-sim/watches       {"stall":true} | {"dropAfterEvents":10} | {"drop":true}
///     POST /kube-sim/churn         {"perSecond":100} (random pods' annotation changed at that rate; 0 stops);
///                                  with "labels", "deletes", "rollouts", "readiness": the shares of changes that
///                                  set a label, delete a pod, roll a Deployment's template or flip a pod's Ready
///                                  condition instead (see PodChurn.Mix)
///     POST /kube-sim/compact       (old resourceVersions → 410)
///     POST /kube-sim/restart       (every connection closed, state kept)
///     POST /kube-sim/clear         (all faults off)
///     POST /kube-sim/tokens        {"token":"t","user":"system:serviceaccount:ns:sa","expiresAt":"RFC3339",
///                                   "rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["list"],"namespaces":["ns"]}]}
///                                  (no "rules": admin)
///     DELETE /kube-sim/tokens/T    (revoke)
///     GET  /kube-sim/requests      (the request log as JSON lines)
///     GET  /kube-sim/digest        (per resource the watched kinds' count and CacheDigest, one
///                                   `RESOURCE COUNT DIGEST` line each, then `resourceVersion RV`)
extension KubeAPIServer {
    static let adminPrefix = "/kube-sim/"

    /// The kinds token-warden's watch caches hold, in the order its `/debug/caches` lists them.
    static let digestedTypes = [
        ResourceCatalog.pods, ResourceCatalog.namespaces, ResourceCatalog.replicaSets, ResourceCatalog.deployments,
        ResourceCatalog.statefulSets, ResourceCatalog.daemonSets, ResourceCatalog.replicationControllers, ResourceCatalog.jobs,
    ]

    /// Serves an admin request (the caller checked the admin grant). `restart` runs after the response.
    func serveAdmin(_ request: HTTPRequest, writer: any HTTPResponseWriter, restart: () -> Void) throws(StatusError) {
        let path = String(request.path.dropFirst(Self.adminPrefix.count))
        let body = request.body.isEmpty ? JSONValue.object(JSONObject()) : try Self.body(request)
        switch (request.method, path) {
        case ("POST", "faults"):
            let code = Int(body["code"]?.intValue ?? 500)
            faults.inject(.init(code: code, count: body["count"]?.intValue.map { Int($0) },
                                verbs: Set(body["verbs"]?.arrayValue?.compactMap(\.stringValue) ?? []),
                                resources: Set(body["resources"]?.arrayValue?.compactMap(\.stringValue) ?? []),
                                retryAfterSeconds: Int(body["retryAfterSeconds"]?.intValue ?? 1)))
        case ("POST", "latency"):
            faults.latency = body["seconds"]?.doubleValue ?? 0
        case ("POST", "watches"):
            if let stall = body["stall"]?.boolValue { faults.stallWatches = stall }
            if let after = body["dropAfterEvents"] { faults.dropWatchesAfterEvents = after.intValue.map { Int($0) } }
            if body["drop"]?.boolValue == true { store.interruptWatches() }
        case ("POST", "churn"):
            let mix = PodChurn.Mix(labels: body["labels"]?.doubleValue ?? 0, deletes: body["deletes"]?.doubleValue ?? 0,
                                   rollouts: body["rollouts"]?.doubleValue ?? 0, readiness: body["readiness"]?.doubleValue ?? 0)
            churn.start(perSecond: body["perSecond"]?.doubleValue ?? 0, mix: mix)
        case ("POST", "compact"):
            store.compact()
        case ("POST", "clear"):
            faults.clear()
        case ("POST", "restart"):
            ResponseWriting.json(writer, value: ResponseWriting.success(code: 200))
            restart()
            return
        case ("POST", "tokens"):
            guard let token = body["token"]?.stringValue, let user = body["user"]?.stringValue else {
                throw StatusError.badRequest("token and user are required")
            }
            let rules = body["rules"]?.arrayValue.map { items in
                items.map { rule in
                    PolicyRule(apiGroups: rule["apiGroups"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                               resources: rule["resources"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                               verbs: rule["verbs"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                               namespaces: rule["namespaces"]?.arrayValue?.compactMap(\.stringValue),
                               resourceNames: rule["resourceNames"]?.arrayValue?.compactMap(\.stringValue) ?? [])
                }
            }
            let expiresAt = body["expiresAt"]?.stringValue.flatMap(TableRenderer.parseTimestamp)
            tokens.add(token, grant: TokenGrant(user: user, rules: rules, expiresAt: expiresAt))
        case ("DELETE", let tokenPath) where tokenPath.hasPrefix("tokens/"):
            tokens.revoke(String(tokenPath.dropFirst("tokens/".count)))
        case ("GET", "digest"):
            var text = ""
            for type in Self.digestedTypes {
                var digest = CacheDigest(resource: type.qualifiedName)
                for object in store.objects(type) { digest.add(uid: object.uid, resourceVersion: String(object.resourceVersion)) }
                text += digest.line + "\n"
            }
            text += "resourceVersion \(store.resourceVersion)\n"
            writer.respond(status: 200, headers: ResponseWriting.headers(contentType: "text/plain; charset=utf-8"), body: Array(text.utf8))
            return
        case ("GET", "requests"):
            var out: [UInt8] = []
            for record in requestLog.all {
                let line: JSONValue = [
                    "verb": .string(record.verb), "group": .string(record.group), "resource": .string(record.resource),
                    "subresource": .string(record.subresource), "namespace": .string(record.namespace),
                    "name": .string(record.name), "user": .string(record.user), "code": .int(Int64(record.code)),
                    "contentType": .string(record.contentType),
                ]
                JSONSerializer.append(line, to: &out)
                out.append(UInt8(ascii: "\n"))
            }
            ResponseWriting.json(writer, bytes: out, contentType: "application/x-ndjson")
            return
        default:
            throw StatusError(code: 404, reason: "NotFound", message: "the server could not find the requested resource", hasDetails: true)
        }
        ResponseWriting.json(writer, value: ResponseWriting.success(code: 200))
    }
}
