import KubeModel

extension KubeClient {
    /// Whether the API server serves `resource`: its group version's discovery document
    /// (`GET /apis/GROUP/VERSION`, an `APIResourceList`) lists it. A 404 (the group version is not
    /// served: no CRD installed) is `false`; any other failure is thrown.
    public func serves(_ resource: ResourceDescriptor) async throws -> Bool {
        let bytes: [UInt8]
        do {
            bytes = try await getRaw(resource.groupVersionPath)
        } catch let error as APIError where error.isNotFound {
            return false
        }
        let list = try decode(APIResourceList.self, bytes, what: "APIResourceList", path: resource.groupVersionPath)
        return list.resources.contains { $0.name == resource.plural }
    }
}

/// A group version's discovery document, reduced to the resource names.
struct APIResourceList: Decodable {
    struct Resource: Decodable { var name: String }
    var resources: [Resource]
}
