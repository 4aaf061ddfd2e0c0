import KubeModel

/// Just the metadata of any object (to read the restart state of a workload or an owner).
struct MetadataOnly: Decodable {
    var metadata: ObjectMeta
}
