import Foundation
import HTTPServer

extension KubeAPIServer {
    /// Whether the client asked for server-side printing (kubectl get).
    static func wantsTable(_ request: HTTPRequest) -> Bool {
        guard let accept = request.header("Accept") else { return false }
        return accept.contains("as=Table")
    }

    static let tableContentType = "application/json;as=Table;v=v1;g=meta.k8s.io"

    func serveGet(_ request: HTTPRequest, type: ResourceType, namespace: String, name: String,
                  writer: any HTTPResponseWriter) throws(StatusError) {
        guard let object = store.get(type, namespace: namespace, name: name) else {
            throw StatusError.notFound(type, name: name)
        }
        if Self.wantsTable(request) {
            let table = TableRenderer.table([object], type: type, resourceVersion: nil, continueToken: nil,
                                            remainingItemCount: nil, includeColumns: true, now: store.now())
            ResponseWriting.json(writer, value: table, contentType: Self.tableContentType)
            return
        }
        var bytes = object.bytes
        bytes.append(UInt8(ascii: "\n"))
        ResponseWriting.json(writer, bytes: bytes)
    }

    struct Selection {
        var labels = LabelSelector()
        var fields = FieldSelector()

        func matches(_ object: StoredObject) -> Bool {
            labels.matches(object.labels) && fields.matches(object.fields)
        }

        var isEmpty: Bool { labels.isEmpty && fields.isEmpty }
    }

    static func selection(_ request: HTTPRequest, type: ResourceType, name: String = "") throws(StatusError) -> Selection {
        var selection = Selection()
        if let text = request.query("labelSelector"), !text.isEmpty { selection.labels = try LabelSelector.parse(text) }
        if let text = request.query("fieldSelector"), !text.isEmpty { selection.fields = try FieldSelector.parse(text, type: type) }
        if !name.isEmpty {
            selection.fields.requirements.append(.init(field: "metadata.name", value: name, negated: false))
        }
        return selection
    }

    func serveList(_ request: HTTPRequest, type: ResourceType, namespace: String,
                   writer: any HTTPResponseWriter) throws(StatusError) {
        let selection = try Self.selection(request, type: type)
        var limit: Int?
        if let text = request.query("limit"), !text.isEmpty {
            guard let value = Int(text) else { throw StatusError.badRequest("limit: Invalid value: \"\(text)\"") }
            limit = value > 0 ? value : nil
        }
        let continueToken = request.query("continue").flatMap { $0.isEmpty ? nil : $0 }
        if let text = request.query("resourceVersion"), !text.isEmpty, text != "0", continueToken == nil {
            guard let requested = Int64(text) else {
                throw StatusError.badRequest("invalid resource version: \(text)")
            }
            let current = store.resourceVersion
            if requested > current {
                throw StatusError(code: 504, reason: "Timeout",
                                message: "Too large resource version: \(requested), current: \(current)",
                                causes: [.init(reason: "ResourceVersionTooLarge", message: "Too large resource version")],
                                retryAfterSeconds: 1)
            }
            if request.query("resourceVersionMatch") == "Exact" && requested < store.oldestResourceVersion {
                throw StatusError.tooOldResourceVersion(requested: requested, oldest: store.oldestResourceVersion)
            }
        }
        let page = try store.list(type, namespace: namespace, labelSelector: selection.labels,
                                  fieldSelector: selection.fields, limit: limit, continueToken: continueToken)
        if Self.wantsTable(request) {
            let table = TableRenderer.table(page.objects, type: type, resourceVersion: page.resourceVersion,
                                            continueToken: page.continueToken, remainingItemCount: page.remainingItemCount,
                                            includeColumns: true, now: store.now())
            ResponseWriting.json(writer, value: table, contentType: Self.tableContentType)
            return
        }
        ResponseWriting.json(writer, bytes: Self.listBytes(page, type: type))
    }

    /// The list response built by concatenating stored bytes (items without kind/apiVersion, as
    /// the API server writes them).
    static func listBytes(_ page: ListPage, type: ResourceType) -> [UInt8] {
        var metadata = "{\"resourceVersion\":\"\(page.resourceVersion)\""
        if let token = page.continueToken { metadata += ",\"continue\":\"\(token)\"" }
        if let remaining = page.remainingItemCount { metadata += ",\"remainingItemCount\":\(remaining)" }
        metadata += "}"
        let head = "{\"kind\":\"\(type.listKind)\",\"apiVersion\":\"\(type.apiVersion)\",\"metadata\":\(metadata),\"items\":["
        let prefix = Array("{\"kind\":\"\(type.kind)\",\"apiVersion\":\"\(type.apiVersion)\",".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(head.utf8.count + page.objects.reduce(0) { $0 + $1.bytes.count + 1 } + 4)
        out.append(contentsOf: head.utf8)
        for (index, object) in page.objects.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            object.bytes.withUnsafeBufferPointer { bytes in
                if bytes.count > prefix.count && bytes.starts(with: prefix) {
                    out.append(UInt8(ascii: "{"))
                    out.append(contentsOf: bytes[prefix.count...])
                } else {
                    out.append(contentsOf: bytes)
                }
            }
        }
        out.append(contentsOf: "]}\n".utf8)
        return out
    }
}
